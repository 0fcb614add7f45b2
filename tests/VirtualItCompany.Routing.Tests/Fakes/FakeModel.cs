using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests;

/// <summary>A scripted model: answers with its name and a usage no larger than the prompt's bytes and the output cap; fails, delays or breaks streams on demand.</summary>
internal sealed class FakeModel(string modelId) : IChatClient
{
    private int _calls;

    public string ModelId { get; } = modelId;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Decides, per 1-based call number, whether the call fails and how.</summary>
    public Func<int, Exception?> FailOnCall { get; set; } = _ => null;

    public string? ReportedModelId { get; set; }

    public int OutputTokens { get; set; } = 50;

    public bool ReportUsage { get; set; } = true;

    /// <summary>Whether it produces <see cref="OutputTokens"/> whatever <see cref="ChatOptions.MaxOutputTokens"/> says (a misbehaving provider).</summary>
    public bool IgnoreMaxOutputTokens { get; set; }

    /// <summary>Whether the usage it reports has its output tokens (some providers leave them out).</summary>
    public bool ReportOutputTokens { get; set; } = true;

    public TimeSpan Delay { get; set; }

    public string[] Chunks { get; set; } = ["Hello", " from ", "the model"];

    /// <summary>After how many streamed chunks the stream breaks; -1 never.</summary>
    public int BreakStreamAfter { get; set; } = -1;

    public List<ChatOptions?> SeenOptions { get; } = [];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        int call = Begin(options);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        if (FailOnCall(call) is { } failure)
        {
            throw failure;
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(Chunks)))
        {
            ModelId = ReportedModelId ?? ModelId,
            Usage = ReportUsage ? Usage(messages, options) : null,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int call = Begin(options);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        if (FailOnCall(call) is { } failure)
        {
            throw failure;
        }

        for (int i = 0; i < Chunks.Length; i++)
        {
            if (i == BreakStreamAfter)
            {
                throw new HttpRequestException("The stream broke.", null, System.Net.HttpStatusCode.BadGateway);
            }

            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, Chunks[i]) { ModelId = ReportedModelId ?? ModelId };
        }

        if (ReportUsage)
        {
            yield return new ChatResponseUpdate { Contents = [new UsageContent(Usage(messages, options))] };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private int Begin(ChatOptions? options)
    {
        lock (SeenOptions)
        {
            SeenOptions.Add(options);
        }

        return Interlocked.Increment(ref _calls);
    }

    private UsageDetails Usage(IEnumerable<ChatMessage> messages, ChatOptions? options) => new()
    {
        // Real tokenizers give about a token per four characters: never more than the router's byte-count bound.
        InputTokenCount = messages.Sum(m => m.Text.Length) / 4 + 1,
        OutputTokenCount = ReportOutputTokens ? (IgnoreMaxOutputTokens ? OutputTokens : Math.Min(OutputTokens, options?.MaxOutputTokens ?? OutputTokens)) : null,
    };
}
