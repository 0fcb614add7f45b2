using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Benchmarks;

/// <summary>Choosing a model from a 50-model catalog: the ranking alone, and with the decision record built.</summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
public class ModelSelectionBenchmark
{
    private RouteTable _table = null!;
    private RankedCandidate[] _buffer = null!;
    private long[] _keys = null!;
    private ulong[] _seen = null!;
    private RoutingSignals _signals;
    private InMemoryBudgetAccount _account = null!;
    private CostAwareRoutingChatClient _router = null!;
    private ChatMessage[] _messages = null!;
    private ChatOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (profiles, options) = BenchmarkModels.FiftyModels();
        _router = new CostAwareRoutingChatClient(profiles.Select(p => new RoutedModel(p, new InstantModel())), options);
        _table = _router.Table;
        _buffer = new RankedCandidate[_table.MaxBandSize];
        _keys = new long[_table.MaxBandSize];
        _seen = new ulong[1];
        _account = new InMemoryBudgetAccount();
        _signals = new RoutingSignals
        {
            Complexity = 5,
            RequiredCapabilities = ModelCapabilities.Tools,
            PreferredCapability = ModelCapabilities.Code,
            PromptTokenBound = 2_000,
            ExpectedPromptTokens = 700,
            RequestedOutputTokens = 1_000,
        };
        _messages = [new ChatMessage(ChatRole.User, "Write a function that adds two numbers.")];
        _options = new ChatOptions().WithComplexity(5).WithSpecialization("code");
    }

    [Benchmark(Baseline = true, Description = "choose (ranking only)")]
    public int Choose()
    {
        _seen[0] = 0;
        return ModelSelector.SelectFirst(_table, _signals, 1, BudgetUnits.Unlimited, _buffer, _keys, _seen);
    }

    [Benchmark(Description = "choose + reserve + decision record")]
    public RoutingDecision ChooseWithDecision()
    {
        using var request = new RoutedRequest(_table, _account, TimeProvider.System, _signals, 1, new CallBudget(null, null, "bench", BudgetUnits.Unlimited, BudgetUnits.Unlimited, 0m, 0m));
        var (candidate, reservation) = request.TryNextAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult()!.Value;
        var decision = request.Decide(_table.Models[candidate.Model], candidate.Cost);
        _ = _account.ReleaseAsync(reservation).AsTask().GetAwaiter().GetResult();
        return decision;
    }

    [Benchmark(Description = "Preview (read tags and balances, measure prompt, choose, decide)")]
    public RoutingDecision Preview() => _router.PreviewAsync(_messages, _options).AsTask().GetAwaiter().GetResult();
}
