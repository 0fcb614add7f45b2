using System.Diagnostics;
using System.Globalization;

namespace VirtualItCompany.WorkerHost.Tests;

/// <summary>
/// Worker host processes (samples/WorkerHost) sharing one database on the offline model (priced, so every charge is real
/// money in the budget), commands simulated, each host playing the client. <c>VIC_WORKERHOST_PROJECTS</c> changes the 50 projects.
/// </summary>
public abstract class WorkerHostTests
{
    /// <summary>Creates the database of one test, given the test's folder.</summary>
    private protected abstract Task<TestStorage> CreateStorageAsync(string folder);

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);
    private const decimal CompanyBudget = 20m;
    private const decimal ProjectBudget = 1m;

    private static string[] CompanySettings(TimeSpan responseDelay) =>
    [
        $"--VirtualItCompany:LeaseDuration={Lease:c}",
        "--VirtualItCompany:PollInterval=00:00:00.200",
        "--VirtualItCompany:MaxAttempts=100", // a kill or a lapsed lease counts as an attempt
        "--VirtualItCompany:RetryBaseDelay=00:00:00.050",
        "--VirtualItCompany:ShutdownGracePeriod=00:00:05",
        $"--VirtualItCompany:Routing:GlobalBudget={CompanyBudget.ToString(CultureInfo.InvariantCulture)}",
        "--WorkerHost:OfflineInputPrice=1",
        "--WorkerHost:OfflineOutputPrice=2",
        $"--WorkerHost:OfflineResponseDelay={responseDelay:c}",
        $"--WorkerHost:SubmitBudget={ProjectBudget.ToString(CultureInfo.InvariantCulture)}",
        "--WorkerHost:WaitTimeout=00:08:00",
    ];

    private static ITestOutputHelper? Log => TestContext.Current.TestOutputHelper;

    [Fact]
    public async Task Three_workers_deliver_every_project_once_when_one_is_killed_mid_run()
    {
        int projects = int.TryParse(Environment.GetEnvironmentVariable("VIC_WORKERHOST_PROJECTS"), out int n) ? n : 50;
        await using var fleet = new WorkerFleet("kill", CreateStorageAsync, CompanySettings(TimeSpan.FromMilliseconds(20)));
        var database = await fleet.CreateDatabaseAsync();
        var (submitted, submitOutput) = await fleet.RunAsync("submitter", TimeSpan.FromMinutes(1), "submit", projects.ToString(CultureInfo.InvariantCulture));
        Assert.True(submitted == 0, submitOutput);

        var workers = new[] { fleet.StartWorker("worker 1"), fleet.StartWorker("worker 2"), fleet.StartWorker("worker 3") };
        var victim = workers[1];
        var held = await database.WaitForLeasesAsync(victim, minimumCompleted: projects, TimeSpan.FromMinutes(2));

        // SIGKILL: no shutdown code runs, its leases stay until they lapse.
        await victim.SignalAsync("KILL");
        var killed = Stopwatch.StartNew();
        Assert.Equal(137, await victim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        held = await database.LeasesOfAsync(victim); // what it held when it died
        Assert.NotEmpty(held);
        var takeover = await database.WaitForTakeoverAsync(victim, held, killed, Lease + TimeSpan.FromSeconds(60));
        Log?.WriteLine($"takeover: {held.Count} item(s) of the killed worker taken over by the others {Describe(takeover.Values.Min())} to {Describe(takeover.Values.Max())} after the kill (lease {Lease.TotalSeconds:0} s)");
        int[] outputBefore = [.. workers.Select(w => w.Output.Length)];
        if (await fleet.Storage!.DisruptAsync(TestContext.Current.CancellationToken) is { } disrupted)
        {
            Log?.WriteLine($"mid-run: {disrupted}");
        }

        var (waited, waitOutput) = await fleet.RunAsync("wait", TimeSpan.FromMinutes(9), "wait");
        Assert.True(waited == 0, $"Not every project completed:\n{waitOutput}\n{workers[0].Output}");
        if (fleet.Storage.DisruptionEvidence is { } evidence)
        {
            // A process of the company saw the disruption and recovered from it (after it, not at start): a surviving worker,
            // or the waiting process, whose host checks the Redis stream as it starts and may get there first.
            string[] after = [workers[0].Output[outputBefore[0]..], workers[2].Output[outputBefore[2]..], waitOutput];
            Assert.True(
                after.Any(output => evidence.Any(e => output.Contains(e, StringComparison.Ordinal))),
                $"No process logged any of \"{string.Join("\", \"", evidence)}\" after the disruption:\n{after[0]}\nwait:\n{waitOutput}");
        }

        await StopAsync(workers[0], workers[2]);

        await AssertDeliveredOnceAsync(database, projects);
    }

    [Fact]
    public async Task A_worker_paused_past_its_lease_cannot_commit_its_item()
    {
        // Slow model answers keep items in progress long enough to be caught mid-way.
        await using var fleet = new WorkerFleet("pause", CreateStorageAsync, CompanySettings(TimeSpan.FromMilliseconds(400)));
        var database = await fleet.CreateDatabaseAsync();
        var (submitted, submitOutput) = await fleet.RunAsync("submitter", TimeSpan.FromMinutes(1), "submit", "4");
        Assert.True(submitted == 0, submitOutput);

        var paused = fleet.StartWorker("worker A", "--VirtualItCompany:Workers=2");
        var other = fleet.StartWorker("worker B", "--VirtualItCompany:Workers=2");
        // Paused while it holds a lease: the lease seen may end (committed) just before SIGSTOP lands, then resume and try
        // again. On SQLite, also when SIGSTOP lands inside one of its writes: it then holds the file's write lock, which no
        // other process can take from a live one, so every worker waits for it (a limit of one file shared by processes).
        Dictionary<string, long> held = [];
        var stopped = Stopwatch.StartNew();
        for (int tries = 0; held.Count == 0 && tries < 20; tries++)
        {
            await database.WaitForLeasesAsync(paused, minimumCompleted: 4, TimeSpan.FromMinutes(2));
            await paused.SignalAsync("STOP");
            stopped.Restart();
            held = await database.LeasesOfAsync(paused);
            if (held.Count > 0 && await fleet.Storage!.IsWriteLockHeldAsync(TestContext.Current.CancellationToken))
            {
                Log?.WriteLine("SIGSTOP landed inside a write (the paused worker holds the database's write lock): resumed, and paused again");
                held = [];
            }

            if (held.Count == 0)
            {
                await paused.SignalAsync("CONT");
            }
        }

        Assert.NotEmpty(held);
        var takeover = await database.WaitForTakeoverAsync(paused, held, stopped, Lease + TimeSpan.FromSeconds(60));
        Log?.WriteLine($"paused worker: {held.Count} item(s) taken over {Describe(takeover.Values.Max())} after SIGSTOP (lease {Lease.TotalSeconds:0} s)");

        // Resumed, the paused worker finds its lease gone: it cannot commit (or journal) what it was doing.
        await paused.SignalAsync("CONT");
        var (waited, waitOutput) = await fleet.RunAsync("wait", TimeSpan.FromMinutes(9), "wait");
        Assert.True(waited == 0, $"Not every project completed:\n{waitOutput}");
        // The other worker may finish every project before the resumed one gets to its items (a pause inside a PostgreSQL
        // transaction costs it its connection, and it retries with backoff): SIGTERM only once it has found its lease gone,
        // or it would release the items instead.
        bool noticed = await paused.WaitForOutputAsync("Lost the lease on", TimeSpan.FromSeconds(90));
        await StopAsync(paused, other);
        string log = paused.Output;
        Assert.True(noticed, $"The resumed worker never logged that it lost its lease; its warnings and errors:\n{Problems(log)}\nits log ends:\n{log[Math.Max(0, log.Length - 6000)..]}");

        await AssertDeliveredOnceAsync(database, 4);
    }

    /// <summary>SIGTERM: each stops by itself (items in progress finish or are released), exit code 0.</summary>
    private static async Task StopAsync(params WorkerProcess[] workers)
    {
        foreach (var worker in workers)
        {
            await worker.SignalAsync("TERM");
        }

        foreach (var worker in workers)
        {
            int? exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(40));
            Assert.True(exit == 0, $"{worker.Name} did not stop cleanly on SIGTERM (exit {exit?.ToString(CultureInfo.InvariantCulture) ?? "none within 40 s"}):\n{worker.Output}");
            Assert.Contains("Worker host stopped.", worker.Output, StringComparison.Ordinal);
        }
    }

    private static async Task AssertDeliveredOnceAsync(SharedDatabase database, int expected)
    {
        var (projects, company) = await database.ReadAllAsync();
        Assert.Equal(expected, projects.Count);
        decimal charged = 0m;
        int items = 0, calls = 0, replayed = 0;
        foreach (var (project, events, balance) in projects)
        {
            string title = project.Brief.Title;
            Assert.True(project.Status == ProjectStatus.Completed, $"{title} is {project.Status}: {string.Join(" | ", events.Select(e => e.Description).TakeLast(5))}");
            Assert.Single(events.OfType<ProjectCompleted>());

            // Each work item's effects once: completed once, its charges once.
            var completed = events.OfType<WorkItemCompleted>().Select(e => e.WorkItemId).ToList();
            var twice = completed.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{title}: work items completed twice: {string.Join(", ", twice)}");
            var charges = events.OfType<ModelCallCompleted>().ToList();
            var doubled = charges.Where(c => c.Outcome == ModelChargeKind.Completed)
                .GroupBy(c => (c.WorkItemId, c.InputTokens, c.OutputTokens, c.Cost, c.Duration)).Where(g => g.Count() > 1).ToList();
            Assert.True(doubled.Count == 0, $"{title}: charged twice: {string.Join(", ", doubled.Select(d => d.Key))}");
            Assert.All(charges.Where(c => c.Outcome == ModelChargeKind.Replayed), c => Assert.Equal(0m, c.Cost));

            // Money: the store's spend is the sum of the charge events, within the project's budget, nothing left reserved.
            decimal sum = charges.Sum(c => c.Cost);
            Assert.True(balance.Spent == sum, $"{title}: spent {balance.Spent} in the store, {sum} in its charge events.");
            Assert.True(balance.Spent <= ProjectBudget, $"{title}: spent {balance.Spent} of a {ProjectBudget} budget.");
            Assert.Equal(0m, balance.Reserved);
            Assert.True(sum > 0m, $"{title}: no charge at all; the priced model was not used.");
            charged += sum;
            items += completed.Count;
            calls += charges.Count;
            replayed += charges.Count(c => c.Outcome == ModelChargeKind.Replayed);
        }

        Assert.Equal(charged, company.Spent);
        Assert.Equal(0m, company.Reserved);
        Assert.True(company.Spent <= CompanyBudget, $"The company spent {company.Spent} of {CompanyBudget}.");
        Log?.WriteLine($"{projects.Count} projects completed: {items} work items, {calls} charges ({replayed} answered from the journal), company spend ${company.Spent} of ${CompanyBudget}");
    }

    private static string Describe(TimeSpan time) => $"{time.TotalSeconds:0.00} s";

    /// <summary>The warning and error lines of a worker's log, each cut to its first 400 characters (the exception's type and message).</summary>
    private static string Problems(string log) => string.Join('\n', log.Split('\n')
        .Where(line => line.Contains(" warn: ", StringComparison.Ordinal) || line.Contains(" fail: ", StringComparison.Ordinal))
        .Select(line => line.Length > 400 ? line[..400] + "..." : line));
}

/// <summary>The worker host tests on one SQLite file (processes on one machine).</summary>
public sealed class SqliteWorkerHostTests : WorkerHostTests
{
    private protected override Task<TestStorage> CreateStorageAsync(string folder) => Task.FromResult<TestStorage>(new SqliteTestStorage(folder));
}

/// <summary>
/// The worker host tests on PostgreSQL, a server of the test's own started by eng/test-servers.sh (PostgreSQL must be
/// installed; failing, not skipped, when it is not); in the kill test the server is also restarted mid-run.
/// </summary>
public sealed class PostgreSqlWorkerHostTests : WorkerHostTests
{
    private protected override async Task<TestStorage> CreateStorageAsync(string folder) => await PostgreSqlTestStorage.CreatePrivateAsync(TestContext.Current.CancellationToken);
}

/// <summary>The worker host tests on PostgreSQL with the work delivered through Redis Streams; in the kill test Redis is also restarted empty mid-run.</summary>
public sealed class PostgreSqlRedisWorkerHostTests : WorkerHostTests
{
    private protected override async Task<TestStorage> CreateStorageAsync(string folder) => await PostgreSqlRedisTestStorage.CreateAsync(TestContext.Current.CancellationToken);
}
