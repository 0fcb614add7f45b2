using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Benchmarks;

/// <summary>One work item through the runtime: lease it, then <see cref="Runtime.WorkOrchestrator.ProcessAsync"/> (agent, model call through the chat pipeline, decision, atomic commit), against the bare fake model call.</summary>
/// <remarks>
/// Each iteration starts from a fresh company with <see cref="Projects"/> submitted projects (submission is not measured); operations lease and process
/// the items in queue order until every project has completed, so the mix is the default lifecycle's: one item per stage, two in set-up, one per feature.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class WorkItemPipelineBenchmark
{
    public const int Projects = 200;

    public const int Operations = Projects * 12;

    private static readonly LeaseRequest Request = new("bench", TimeSpan.FromMinutes(2));
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Do the work.")];

    private readonly FakeChatClient _model = new("fake-model", new ModelPricing(1m, 2m));
    private BenchmarkCompany? _company;
    private int _processed;

    [IterationSetup(Target = nameof(ProcessWorkItem))]
    public void Setup()
    {
        _company = new BenchmarkCompany(featureCount: 2);
        var brief = BenchmarkCompany.Brief(0);
        for (int i = 0; i < Projects; i++)
        {
            _company.Company.SubmitAsync(brief).GetAwaiter().GetResult();
        }

        _processed = 0;
        // The previous iteration's company is garbage now, not during this one.
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    [IterationCleanup(Target = nameof(ProcessWorkItem))]
    public void Cleanup()
    {
        var company = _company!;
        long left = company.Queue.CountAsync().GetAwaiter().GetResult();
        company.DisposeAsync().AsTask().GetAwaiter().GetResult();
        // BenchmarkDotNet's jitting stage runs a single operation per iteration; only full iterations end with an empty queue.
        if (_processed == Operations && left != 0)
        {
            throw new InvalidOperationException($"{left} work items were left on the queue; the iteration did not process every project to the end.");
        }
    }

    [Benchmark(Baseline = true)]
    public Task<ChatResponse> ModelCall() => _model.GetResponseAsync(Prompt);

    [Benchmark]
    public async Task ProcessWorkItem()
    {
        var company = _company!;
        var lease = await company.Queue.TryLeaseAsync(Request).ConfigureAwait(false) ?? throw new InvalidOperationException("The queue is empty.");
        await company.Orchestrator.ProcessAsync(lease, CancellationToken.None).ConfigureAwait(false);
        _processed++;
    }

    private sealed class Config : FixedInvocationConfig
    {
        public Config()
            : base(Operations)
        {
        }
    }
}
