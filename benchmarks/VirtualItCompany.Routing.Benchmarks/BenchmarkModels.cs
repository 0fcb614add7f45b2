using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Benchmarks;

/// <summary>A 50-model catalog in three bands, and a model that answers instantly.</summary>
internal static class BenchmarkModels
{
    public static (ModelProfile[] Profiles, RoutingOptions Options) FiftyModels()
    {
        var random = new Random(42);
        var profiles = Enumerable.Range(0, 50).Select(i => new ModelProfile
        {
            Id = $"vendor{i % 5}/model-{i}",
            Provider = $"vendor{i % 5}",
            ModelId = $"model-{i}",
            Pricing = new ModelPricing(random.Next(0, 2_000) / 100m, random.Next(0, 8_000) / 100m),
            Capabilities = (ModelCapabilities)random.Next(0, 32) | ModelCapabilities.Tools,
            QualityTier = 1 + i % 4,
            ContextWindow = 32_768 * (1 + random.Next(4)),
            MaxOutputTokens = 4_096,
            TypicalLatency = TimeSpan.FromMilliseconds(random.Next(300, 9_000)),
        }).ToArray();
        var options = new RoutingOptions { Policy = new RoutingPolicy { Bands = [Band(1, 3, profiles[..17]), Band(4, 7, profiles[17..34]), Band(8, 10, profiles[34..])] } };
        return (profiles, options);
    }

    private static RoutingBand Band(int min, int max, ModelProfile[] models) =>
        new() { MinComplexity = min, MaxComplexity = max, Order = BandOrder.CheapestFirst, Models = [.. models.Select(m => m.Id)] };
}

/// <summary>A model that answers at once, like a cached provider response.</summary>
public sealed class InstantModel : IChatClient
{
    private readonly ChatMessage _answer = new(ChatRole.Assistant, "ok");

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(_answer) { ModelId = "instant", Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 } });

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
