using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Tests.AgentTools;

/// <summary>A model stand-in for units that answers each call with what a function of the call number gives, and keeps what it was asked.</summary>
internal sealed class ToolScriptChatClient(Func<int, ChatMessage> answer) : IChatClient
{
    private int _next;

    public ConcurrentQueue<List<ChatMessage>> Calls { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue([.. messages]);
        var message = answer(Interlocked.Increment(ref _next) - 1);
        return Task.FromResult(new ChatResponse(message)
        {
            ModelId = "tool-script",
            FinishReason = message.Contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
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

    public static ChatMessage Call(string name, Dictionary<string, object?> arguments, string? id = null) =>
        new(ChatRole.Assistant, [new FunctionCallContent(id ?? "call_" + Guid.NewGuid().ToString("N")[..8], name, arguments)]);

    public static ChatMessage Text(string text) => new(ChatRole.Assistant, text);
}
