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
    private ModelCallContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = new InstantModel();
        var profiles = new[] { "a", "b", "c" }.Select(id => new ModelProfile { Id = id, Provider = "bench", ModelId = id, Pricing = new ModelPricing(1m, 2m) }).ToArray();
        var options = new RoutingOptions { Policy = new RoutingPolicy { Bands = [new RoutingBand { Models = ["a", "b", "c"] }] } };
        var account = new InMemoryBudgetAccount();
        account.SetLimitAsync(BudgetScope.ForProject(new ProjectId("bench")), 1_000_000m).AsTask().GetAwaiter().GetResult();
        _router = new CostAwareRoutingChatClient(profiles.Select(p => new RoutedModel(p, _model)), options, account);
        _messages = [new ChatMessage(ChatRole.User, "Summarize: the quick brown fox jumps over the lazy dog.")];
        // Each call is a work item's: the project's budget is charged and the charge reported on the context.
        _context = new ModelCallContext(new ProjectId("bench"), "wi_bench", AgentRole.Developer, new LifecycleStage("Development"));
        _options = _context.AttachTo(new ChatOptions().WithComplexity(3));
    }

    [Benchmark(Baseline = true, Description = "inner model directly")]
    public Task<ChatResponse> Direct() => _model.GetResponseAsync(_messages, _options);

    [Benchmark(Description = "through the router")]
    public async Task<ChatResponse> Routed()
    {
        var response = await _router.GetResponseAsync(_messages, _options);
        _context.TakeCharges(); // the runtime takes them after each call; left alone they would pile up across iterations
        return response;
    }
}
