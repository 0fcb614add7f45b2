using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Benchmarks;

/// <summary>What the router adds to a call: the same instant model called directly, and through the router (signals, ranking, budget, pipeline, decision).</summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
public class RouterPassThroughBenchmark
{
    private InstantModel _model = null!;
    private CostAwareRoutingChatClient _router = null!;
    private ChatMessage[] _messages = null!;
    private ChatOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = new InstantModel();
        var profiles = new[] { "a", "b", "c" }.Select(id => new ModelProfile { Id = id, Provider = "bench", ModelId = id, Pricing = new ModelPricing(1m, 2m) }).ToArray();
        var options = new RoutingOptions { Policy = new RoutingPolicy { Bands = [new RoutingBand { Models = ["a", "b", "c"] }] } };
        _router = new CostAwareRoutingChatClient(profiles.Select(p => new RoutedModel(p, _model)), options);
        _messages = [new ChatMessage(ChatRole.User, "Summarize: the quick brown fox jumps over the lazy dog.")];
        _options = new ChatOptions().WithComplexity(3).WithBudget("bench", 1_000_000m);
    }

    [Benchmark(Baseline = true, Description = "inner model directly")]
    public Task<ChatResponse> Direct() => _model.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "through the router")]
    public Task<ChatResponse> Routed() => _router.GetResponseAsync(_messages, _options);
}
