using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Benchmarks;

/// <summary>A chat client that answers every call with one cached, completed response: no metering, no tags, no function invocation.</summary>
internal sealed class NoModel : IChatClient
{
    private static readonly Task<ChatResponse> Answer = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "done")));

    public static NoModel Instance { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => Answer;

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await Answer.ConfigureAwait(false)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType?.IsInstanceOfType(this) == true ? this : null;

    public void Dispose()
    {
    }
}
