using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Tests.Chat.StructuredOutput;

/// <summary>A model stand-in for units: answers the scripted texts in order (the last one again when they run out) and keeps what it was asked.</summary>
internal sealed class ScriptedChatClient(params string[] answers) : IChatClient
{
    private int _next;

    public ConcurrentQueue<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(([.. messages], options?.Clone()));
        int index = Math.Min(Interlocked.Increment(ref _next) - 1, answers.Length - 1);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answers[index]))
        {
            ModelId = "scripted",
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
