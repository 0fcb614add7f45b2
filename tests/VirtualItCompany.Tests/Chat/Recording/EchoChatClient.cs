using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Tests.Chat.Recording;

/// <summary>The "real" model of the recording units: answers "echo: " and the last user text (streamed word by word), with usage, and counts its calls.</summary>
internal sealed class EchoChatClient : IChatClient
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        string text = Answer(messages);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = "echo-1",
            ResponseId = "resp_" + text.Length,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 11, OutputTokenCount = text.Length, TotalTokenCount = 11 + text.Length },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        string text = Answer(messages);
        foreach (var word in text.Split(' '))
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ") { ModelId = "echo-1", ResponseId = "stream_1" };
        }

        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop, Contents = [new UsageContent(new UsageDetails { InputTokenCount = 11, OutputTokenCount = 3 })] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("echo", null, "echo-1") : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static string Answer(IEnumerable<ChatMessage> messages) => "echo: " + messages.Last(m => m.Role == ChatRole.User).Text.Trim();
}
