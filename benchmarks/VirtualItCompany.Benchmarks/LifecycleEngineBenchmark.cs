using BenchmarkDotNet.Attributes;
using VirtualItCompany.Lifecycle;

namespace VirtualItCompany.Benchmarks;

/// <summary>One lifecycle transition: the engine's <see cref="LifecycleEngine.Fire"/> and <see cref="LifecycleEngine.CanFire"/> against a plain dictionary lookup of (stage, trigger).</summary>
/// <remarks>Each invocation walks the default lifecycle's forward path (ten transitions); figures are per transition.</remarks>
[MemoryDiagnoser]
[ShortRunJob]
public class LifecycleEngineBenchmark
{
    private const int Transitions = 10;

    private (LifecycleStage From, LifecycleTrigger Trigger)[] _path = [];
    private LifecycleEngine _engine = null!;
    private Dictionary<(LifecycleStage, LifecycleTrigger), LifecycleStage> _table = [];

    [GlobalSetup]
    public void Setup()
    {
        _engine = new LifecycleEngine(LifecycleDefinition.Default);
        _table = LifecycleDefinition.Default.Transitions.ToDictionary(t => (t.From, t.Trigger), t => t.To);
        _path = [.. ForwardPath.Steps.Select(s => (s.From, s.Trigger))];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Transitions)]
    public LifecycleStage DictionaryLookup()
    {
        var stage = default(LifecycleStage);
        foreach (var (from, trigger) in _path)
        {
            stage = _table[(from, trigger)];
        }

        return stage;
    }

    [Benchmark(OperationsPerInvoke = Transitions)]
    public LifecycleStage Fire()
    {
        var stage = default(LifecycleStage);
        foreach (var (from, trigger) in _path)
        {
            stage = _engine.Fire(from, trigger);
        }

        return stage;
    }

    [Benchmark(OperationsPerInvoke = Transitions)]
    public bool CanFire()
    {
        bool all = true;
        foreach (var (from, trigger) in _path)
        {
            all &= _engine.CanFire(from, trigger);
        }

        return all;
    }
}
