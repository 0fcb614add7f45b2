using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace VirtualItCompany.Routing.Benchmarks;

/// <summary>Reserve + settle pairs on one project and the company in an <see cref="InMemoryBudgetAccount"/>: one caller, and 64 concurrent callers. Pairs/s is 1 s over the time per pair.</summary>
[MemoryDiagnoser]
[MedianColumn]
[ShortRunJob]
[Config(typeof(PairsConfig))]
public class BudgetAccountBenchmark
{
    private const int PairsPerCaller = 20_000;
    private const int Callers = 64;
    private static readonly ProjectId Project = new("bench");
    private InMemoryBudgetAccount _account = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A limit no run reaches: each pair settles below what it reserved, and the benchmark runs for minutes, not years.
        _account = new InMemoryBudgetAccount(companyLimit: BudgetLimits.MaxAmount);
        _account.SetLimitAsync(BudgetScope.ForProject(Project), BudgetLimits.MaxAmount).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PairsPerCaller, Description = "1 caller")]
    public void OneCaller() => Run(_account);

    [Benchmark(OperationsPerInvoke = PairsPerCaller * Callers, Description = "64 concurrent callers")]
    public void SixtyFourCallers()
    {
        var account = _account;
        var callers = new Task[Callers];
        using var start = new ManualResetEventSlim();
        for (int i = 0; i < Callers; i++)
        {
            callers[i] = Task.Factory.StartNew(() =>
            {
                start.Wait();
                Run(account);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        start.Set();
        Task.WaitAll(callers);
    }

    private static void Run(InMemoryBudgetAccount account)
    {
        var request = new BudgetReservationRequest(Project, 0.0123m, "bench");
        for (int i = 0; i < PairsPerCaller; i++)
        {
            // The in-memory account completes synchronously: no wait is asked for.
            if (account.TryReserveAsync(request).Result.Reservation is { } reservation)
            {
                _ = account.SettleAsync(reservation, 0.0045m).Result;
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
