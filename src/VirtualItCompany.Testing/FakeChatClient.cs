using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Testing;

/// <summary>A model stand-in for tests: every call answers <see cref="ResponseText"/> at once with fixed token usage and a price.</summary>
public sealed class FakeChatClient : IChatClient
{
    private readonly ChatClientMetadata _metadata;
    private long _calls;

    /// <summary>Creates the fake.</summary>
    /// <param name="modelId">The model id it reports.</param>
    /// <param name="pricing">The price it reports; <see langword="null"/> for <see cref="ModelPricing.Free"/>.</param>
    public FakeChatClient(string modelId = "fake-model", ModelPricing? pricing = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        _metadata = new ChatClientMetadata("fake", null, modelId);
        Pricing = pricing ?? ModelPricing.Free;
        Response = Create(ResponseText, modelId);
    }

    /// <summary>Gets the text every call answers.</summary>
    public const string ResponseText = "done";

    /// <summary>Gets the input tokens every call reports.</summary>
    public const long InputTokens = 100;

    /// <summary>Gets the output tokens every call reports.</summary>
    public const long OutputTokens = 20;

    /// <summary>Gets the price this fake reports.</summary>
    public ModelPricing Pricing { get; }

    /// <summary>Gets how many calls were made.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    private ChatResponse Response { get; }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        return Task.FromResult(Response);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(ModelPricing) ? Pricing
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static ChatResponse Create(string text, string modelId) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        ModelId = modelId,
        Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens, TotalTokenCount = InputTokens + OutputTokens },
    };
}
