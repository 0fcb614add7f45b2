using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace VirtualItCompany.Routing.Benchmarks;

/// <summary>Reserve + settle pairs on one project and the global account: one caller, and 64 concurrent callers. Pairs/s is 1 s over the time per pair.</summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
[Config(typeof(PairsConfig))]
public class BudgetLedgerBenchmark
{
    private const int PairsPerCaller = 20_000;
    private const int Callers = 64;
    private BudgetLedger _ledger = null!;
    private BudgetAccount _project = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ledger = new BudgetLedger(globalLimit: 1_000_000_000m);
        _project = _ledger.ObserveProject("bench", 1_000_000_000m, 0m);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PairsPerCaller, Description = "1 caller")]
    public void OneCaller() => Run(_ledger, _project);

    [Benchmark(OperationsPerInvoke = PairsPerCaller * Callers, Description = "64 concurrent callers")]
    public void SixtyFourCallers()
    {
        var ledger = _ledger;
        var project = _project;
        var callers = new Task[Callers];
        using var start = new ManualResetEventSlim();
        for (int i = 0; i < Callers; i++)
        {
            callers[i] = Task.Factory.StartNew(() =>
            {
                start.Wait();
                Run(ledger, project);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        start.Set();
        Task.WaitAll(callers);
    }

    private static void Run(BudgetLedger ledger, BudgetAccount project)
    {
        for (int i = 0; i < PairsPerCaller; i++)
        {
            if (ledger.TryReserve(project, 0.0123m, out var reservation))
            {
                ledger.Settle(reservation, 0.0045m);
            }
        }
    }

    private sealed class PairsConfig : ManualConfig
    {
        public PairsConfig() => AddColumn(new PairsPerSecondColumn());
    }

    private sealed class PairsPerSecondColumn : IColumn
    {
        public string Id => nameof(PairsPerSecondColumn);

        public string ColumnName => "Pairs/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Reserve + settle pairs per second (1 s / mean time per pair)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            summary[benchmarkCase]?.ResultStatistics is { } stats ? (1e9 / stats.Mean).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "-";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
