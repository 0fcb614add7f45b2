using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Polly;

namespace VirtualItCompany.Routing.Tests;

/// <summary>Runs a model's calls through a Polly chaos pipeline (injected faults, latency, 429s) before the model.</summary>
internal sealed class ChaosChatClient(IChatClient inner, ResiliencePipeline chaos) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await chaos.ExecuteAsync(async ct => await base.GetResponseAsync(messages, options, ct), cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await chaos.ExecuteAsync(static _ => ValueTask.CompletedTask, cancellationToken);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }
}
