using BenchmarkDotNet.Attributes;
using VirtualItCompany.Storage;

namespace VirtualItCompany.Benchmarks;

/// <summary>The in-memory store's commit of a typical completion, alone and paired with the lease it acknowledges, against the same data moved through plain collections under one lock.</summary>
/// <remarks>
/// A typical completion: four events (model call, item completed, stage changed, next item scheduled), one item enqueued, the lease acknowledged.
/// Each iteration starts from a fresh store holding <see cref="Projects"/> new projects with their first item queued; operations walk them round-robin
/// along the default lifecycle's forward path, so every commit is one a real project makes.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class InMemoryStoreBenchmark
{
    public const int Operations = 10_000;

    private const int Projects = Operations / 10;

    private static readonly LeaseRequest Request = new("bench", TimeSpan.FromMinutes(2));

    private readonly Lock _plainGate = new();
    private InMemoryCompanyStore _store = null!;
    private ProjectId[] _ids = [];
    private ProjectSnapshot[] _snapshots = [];
    private Step[][] _steps = [];
    private Dictionary<ProjectId, List<ProjectEvent>> _plainEvents = [];
    private Queue<WorkItem> _plainQueue = new();
    private int _op;

    [IterationSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        _store = new InMemoryCompanyStore(TimeProvider.System);
        _ids = new ProjectId[Projects];
        _snapshots = new ProjectSnapshot[Projects];
        _steps = new Step[Projects][];
        _plainEvents = [];
        _plainQueue = new Queue<WorkItem>();
        _op = 0;
        var path = ForwardPath.Steps;
        for (int p = 0; p < Projects; p++)
        {
            var id = ProjectId.New();
            var items = path.Select(s => WorkItem.Create(id, s.Role, s.From, 1, now)).ToArray();
            var created = new ProjectCreated(BenchmarkCompany.Brief(p), LifecycleStage.RequirementsAnalysis);
            _ids[p] = id;
            _snapshots[p] = Commit(p, null, [created, new WorkItemScheduled(items[0])], [items[0]], null);
            _steps[p] = new Step[path.Count];
            for (int s = 0; s < path.Count; s++)
            {
                var (from, trigger, to, role) = path[s];
                var item = items[s];
                ProjectEvent[] events = s + 1 < path.Count
                    ? [Call(item), Done(item), new StageChanged(from, trigger, to), new WorkItemScheduled(items[s + 1])]
                    : [Call(item), Done(item), new StageChanged(from, trigger, to), new ProjectCompleted()];
                _steps[p][s] = new Step(item, events, s + 1 < path.Count ? [items[s + 1]] : []);
            }

            _plainEvents[id] = [];
            _plainQueue.Enqueue(items[0]);
        }

        // The previous iteration's store is garbage now, not during this one.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        static ModelCallCompleted Call(WorkItem item) => new(item.Id, item.Role, item.Stage, "fake", "fake-model", 100, 20, 0.00014m, TimeSpan.FromMilliseconds(1));
        static WorkItemCompleted Done(WorkItem item) => new(item.Id, item.Role, item.Stage, "done", TimeSpan.FromMilliseconds(1));
    }

    /// <summary>The floor: the same events appended and the same item dequeued and enqueued, in plain collections under one lock.</summary>
    [Benchmark(Baseline = true)]
    public int PlainCollections()
    {
        var (p, step) = Next();
        lock (_plainGate)
        {
            _plainQueue.Dequeue();
            var events = _plainEvents[_ids[p]];
            events.AddRange(step.Events);
            foreach (var item in step.Enqueue)
            {
                _plainQueue.Enqueue(item);
            }

            return events.Count;
        }
    }

    /// <summary>The four events committed, without a lease to acknowledge or an item to enqueue.</summary>
    [Benchmark]
    public ProjectSnapshot CommitEvents()
    {
        var (p, step) = Next();
        return _snapshots[p] = Commit(p, _snapshots[p], step.Events, [], null);
    }

    /// <summary>A worker's pair: lease the next item, then commit its completion (four events, one enqueue, the lease acknowledged).</summary>
    [Benchmark]
    public ProjectSnapshot LeaseAndCommitCompletion()
    {
        var (p, step) = Next();
        var lease = _store.TryLeaseAsync(Request).GetAwaiter().GetResult();
        if (lease is null || !ReferenceEquals(lease.Item, step.Item))
        {
            throw new InvalidOperationException($"Leased {lease?.Item.DisplayName ?? "nothing"}, expected {step.Item.DisplayName}.");
        }

        return _snapshots[p] = Commit(p, _snapshots[p], step.Events, step.Enqueue, lease);
    }

    /// <summary>What the runtime does before it calls the store: stamp the events and fold them into the snapshot.</summary>
    private ProjectSnapshot Commit(int p, ProjectSnapshot? current, ProjectEvent[] events, WorkItem[] enqueue, WorkLease? lease)
    {
        var id = _ids[p];
        long version = current?.Version ?? 0;
        var now = TimeProvider.System.GetUtcNow();
        var stamped = new ProjectEvent[events.Length];
        for (int i = 0; i < events.Length; i++)
        {
            stamped[i] = events[i] with { ProjectId = id, Version = version + i + 1, Timestamp = now };
        }

        var snapshot = current ?? ProjectSnapshot.Create((ProjectCreated)stamped[0]);
        for (int i = current is null ? 1 : 0; i < stamped.Length; i++)
        {
            snapshot = snapshot.Apply(stamped[i]);
        }

        _store.CommitAsync(new ProjectCommit(id, version, stamped, snapshot) { Enqueue = enqueue, CompletesLease = lease }).GetAwaiter().GetResult();
        return snapshot;
    }

    // Round-robin over the projects: FIFO leasing hands the items out in this order.
    private (int Project, Step Step) Next()
    {
        int op = _op++;
        int p = op % Projects;
        return (p, _steps[p][op / Projects]);
    }

    private sealed record Step(WorkItem Item, ProjectEvent[] Events, WorkItem[] Enqueue);

    private sealed class Config : FixedInvocationConfig
    {
        public Config()
            : base(Operations)
        {
        }
    }
}
