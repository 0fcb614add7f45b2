using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using static System.FormattableString;

namespace VirtualItCompany.Benchmarks.Load;

/// <summary>
/// The <c>processes</c> verb: work items per second with 1, 2 and 4 worker processes sharing one PostgreSQL database, alone
/// and with the work delivered through Redis Streams (issue 11's measurement). Each worker process is this program's
/// <c>processes-worker</c> verb: the real dispatcher, orchestrator and lifecycle with forward agents and the zero-latency fake
/// model, on <c>UsePostgreSqlStorage</c> (+ <c>UseRedisQueue</c>); every commit is a PostgreSQL transaction.
/// </summary>
/// <remarks>
/// All projects are submitted before the workers start (so the queue never runs dry during the window); the workers are
/// started, run <c>--warmup</c> seconds, then the items completed in the store (its <c>workItemCompleted</c> events) are
/// counted over <c>--seconds</c>. Then the run continues until every project completed, and each project is checked:
/// completed, every item completed exactly once.
/// </remarks>
internal static class ProcessLoadCommand
{
    private static readonly string[] Names = ["--storage", "--processes", "--workers", "--projects", "--seconds", "--warmup", "--features", "--postgres", "--redis", "--output", "--latency-ms"];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = VerbOptions.Parse(args, Names, []);
        string[] storages = (options.String("--storage") ?? "postgres,postgres+redis").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (storages.Length == 0 || storages.Any(s => s is not ("postgres" or "postgres+redis")))
        {
            throw new ArgumentException("--storage takes postgres, postgres+redis or both, separated by a comma.");
        }

        int[] processCounts = [.. (options.String("--processes") ?? "1,2,4").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
        int workers = options.Int("--workers", 16);
        int projects = options.Int("--projects", 600);
        int features = options.Int("--features", 2);
        double seconds = double.Parse(options.String("--seconds") ?? "10", CultureInfo.InvariantCulture);
        double warmup = double.Parse(options.String("--warmup") ?? "60", CultureInfo.InvariantCulture); // fresh processes on saturated cores run slow tiers of the JIT for tens of seconds
        string postgres = options.String("--postgres") ?? Environment.GetEnvironmentVariable("VIRTUALITCOMPANY_TEST_POSTGRES")
            ?? throw new ArgumentException("Give --postgres <connection string>, or start the test servers: source <(bash eng/test-servers.sh env).");
        string? redis = options.String("--redis") ?? Environment.GetEnvironmentVariable("VIRTUALITCOMPANY_TEST_REDIS");
        if (storages.Contains("postgres+redis") && redis is null)
        {
            throw new ArgumentException("postgres+redis needs --redis host:port, or the test servers: source <(bash eng/test-servers.sh env).");
        }

        int latencyMs = options.Int("--latency-ms", 0);
        string settings = await ServerSettingsAsync(postgres).ConfigureAwait(false) + "; load average at the start " + LoadAverage();
        Console.WriteLine("PostgreSQL: " + settings);
        var rows = new List<Row>();
        var criticalPaths = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (string storage in storages)
        {
            string? redisFor = storage == "postgres+redis" ? redis : null;
            if (latencyMs > 0)
            {
                // The critical path: one project alone, on one process, with the same model latency.
                var alone = await RunOnceAsync(storage, 1, workers, 1, features, warmup, seconds, postgres, redisFor, latencyMs, measureWindow: false).ConfigureAwait(false);
                criticalPaths[storage] = alone.EndToEnd;
                Console.WriteLine(Invariant($"{storage}: one project alone takes {alone.EndToEnd.TotalSeconds:0.0} s (the critical path at {latencyMs} ms per model call)"));
            }

            foreach (int count in processCounts)
            {
                var row = await RunOnceAsync(storage, count, workers, projects, features, warmup, seconds, postgres, redisFor, latencyMs, measureWindow: latencyMs == 0).ConfigureAwait(false);
                Console.WriteLine(latencyMs == 0
                    ? Invariant($"{storage}, {count} process(es) x {workers} workers: {row.ItemsPerSecond:N0} items/s ({row.Items} items in {row.Window.TotalSeconds:0.0} s, {row.TransactionsPerItem:0.0} transactions and {row.RollbacksPerItem:0.00} rollbacks per item); {row.Verified}/{projects} projects verified{(row.Problems.Count > 0 ? "; " + string.Join(" ", row.Problems) : "")}")
                    : Invariant($"{storage}, {count} process(es) x {workers} workers: {projects} projects in {row.EndToEnd.TotalSeconds:0.0} s, peak memory per worker process {row.PeakMemoryMb:N0} MB; {row.Verified}/{projects} projects verified{(row.Problems.Count > 0 ? "; " + string.Join(" ", row.Problems) : "")}"));
                rows.Add(row);
            }
        }

        string output = options.Output(latencyMs == 0 ? "load-harness-postgresql-processes.md" : "load-harness-postgresql-latency.md");
        await File.WriteAllTextAsync(output, latencyMs == 0
            ? Report(rows, workers, projects, features, warmup, seconds, settings)
            : LatencyReport(rows, criticalPaths, workers, projects, features, latencyMs, settings)).ConfigureAwait(false);
        Console.WriteLine("report: " + output);
        return rows.All(r => r.Problems.Count == 0) ? 0 : 1;
    }

    /// <summary>One worker process: runs its dispatcher on the shared database until its standard input closes or it is stopped.</summary>
    public static async Task<int> WorkerAsync(string[] args)
    {
        var options = VerbOptions.Parse(args, ["--postgres", "--schema", "--redis", "--prefix", "--workers", "--features", "--latency-ms"], []);
        await using var company = Company(options.Int("--workers", 16), options.Int("--features", 2), options.String("--postgres")!, options.String("--schema")!, options.String("--redis"), options.String("--prefix"), options.Int("--latency-ms", 0));
        var hosted = company.Services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        // The parent holds our standard input: when it goes away, so do we.
        _ = Task.Run(async () =>
        {
            await Console.In.ReadToEndAsync(CancellationToken.None).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
        });
        var dispatching = company.Dispatcher.RunAsync(stop.Token);
        Console.WriteLine("ready");
        await dispatching.ConfigureAwait(false);
        foreach (var service in Enumerable.Reverse(hosted))
        {
            await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return 0;
    }

    private static BenchmarkCompany Company(int workers, int features, string postgres, string schema, string? redis, string? prefix, int latencyMs = 0) =>
        new(workers, features, modelLatency: TimeSpan.FromMilliseconds(latencyMs), storage: builder =>
        {
            builder.UsePostgreSqlStorage(o =>
            {
                o.ConnectionString = postgres;
                o.Schema = schema;
            });
            if (redis is not null)
            {
                builder.UseRedisQueue(o =>
                {
                    o.Configuration = redis;
                    o.KeyPrefix = prefix!;
                });
            }
        });

    private static async Task<Row> RunOnceAsync(string storage, int processes, int workers, int projects, int features, double warmup, double seconds, string postgres, string? redis, int latencyMs, bool measureWindow)
    {
        string schema = "vic_load_" + Guid.NewGuid().ToString("N")[..12];
        string prefix = "vicload" + Guid.NewGuid().ToString("N")[..8];
        var problems = new List<string>();
        var children = new List<Process>();
        try
        {
            // Submitted by a company of this process that runs no dispatcher: the same commits a web host makes.
            await using (var submitter = Company(1, features, postgres, schema, redis, prefix))
            {
                var brief = BenchmarkCompany.Brief(0);
                for (int i = 0; i < projects; i++)
                {
                    await submitter.Company.SubmitAsync(brief).ConfigureAwait(false);
                }
            }

            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema, Pooling = false }.ConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            string self = typeof(ProcessLoadCommand).Assembly.Location;
            for (int i = 0; i < processes; i++)
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                // The zero-latency model is the worker's default: --latency-ms takes only a positive value.
                foreach (string argument in new[] { self, "processes-worker", "--postgres", postgres, "--schema", schema, "--workers", workers.ToString(CultureInfo.InvariantCulture), "--features", features.ToString(CultureInfo.InvariantCulture) }
                    .Concat(latencyMs > 0 ? ["--latency-ms", latencyMs.ToString(CultureInfo.InvariantCulture)] : [])
                    .Concat(redis is null ? [] : ["--redis", redis, "--prefix", prefix]))
                {
                    start.ArgumentList.Add(argument);
                }

                var child = Process.Start(start)!;
                children.Add(child);
                child.ErrorDataReceived += (_, e) =>
                {
                    if (e.Data is { Length: > 0 } line)
                    {
                        Console.Error.WriteLine($"[worker {child.Id}] {line}");
                    }
                };
                child.BeginErrorReadLine();
            }

            foreach (var child in children)
            {
                string? line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                if (line != "ready")
                {
                    throw new InvalidOperationException($"A worker process did not start (said \"{line}\").");
                }

                // Drained so that a chatty worker never blocks on a full pipe.
                _ = child.StandardOutput.ReadToEndAsync();
            }

            var endToEnd = Stopwatch.StartNew();
            long before = 0, after = 0, commitsBefore = 0, rollbacksBefore = 0, commitsAfter = 0, rollbacksAfter = 0;
            var window = TimeSpan.Zero;
            long expected = (long)projects * BenchmarkCompany.ItemsFor(features);
            if (measureWindow)
            {
                await Task.Delay(TimeSpan.FromSeconds(warmup)).ConfigureAwait(false);
                before = await CompletedItemsAsync(connection).ConfigureAwait(false);
                (commitsBefore, rollbacksBefore) = await TransactionsAsync(connection).ConfigureAwait(false);
                var clock = Stopwatch.StartNew();
                await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
                after = await CompletedItemsAsync(connection).ConfigureAwait(false);
                window = clock.Elapsed;
                (commitsAfter, rollbacksAfter) = await TransactionsAsync(connection).ConfigureAwait(false);
                if (after >= expected)
                {
                    problems.Add(Invariant($"The work ran out inside the window: raise --projects (now {projects})."));
                }
            }

            // The rest, then the check of every project.
            var deadline = Stopwatch.StartNew();
            while (await ScalarAsync(connection, "SELECT count(*) FROM snapshots WHERE status = 'Completed';").ConfigureAwait(false) < projects)
            {
                if (deadline.Elapsed > TimeSpan.FromMinutes(5))
                {
                    problems.Add("Not every project completed within 5 minutes after the window.");
                    break;
                }

                await Task.Delay(measureWindow ? 200 : 50).ConfigureAwait(false);
            }

            var elapsed = endToEnd.Elapsed;
            // The most memory each worker process held at any moment (VmHWM: its peak resident set), before they stop.
            double peakMb = children.Select(c => PeakResidentMb(c.Id)).DefaultIfEmpty(0).Max();
            long completedItems = await CompletedItemsAsync(connection).ConfigureAwait(false);
            long distinct = await ScalarAsync(connection, "SELECT count(DISTINCT (event::jsonb ->> 'workItemId')) FROM events WHERE event LIKE '{\"$type\":\"workItemCompleted\"%';").ConfigureAwait(false);
            if (completedItems != expected || distinct != expected)
            {
                problems.Add(Invariant($"{completedItems} item completions ({distinct} distinct items) where {expected} were expected."));
            }

            long verified = await ScalarAsync(connection, "SELECT count(*) FROM snapshots WHERE status = 'Completed';").ConfigureAwait(false);
            long items = after - before;
            return new Row(storage, processes, workers, items, window, (int)verified, problems)
            {
                EndToEnd = elapsed,
                PeakMemoryMb = peakMb,
                TransactionsPerItem = items == 0 ? double.NaN : (double)(commitsAfter - commitsBefore) / items,
                RollbacksPerItem = items == 0 ? double.NaN : (double)(rollbacksAfter - rollbacksBefore) / items,
            };
        }
        finally
        {
            foreach (var child in children)
            {
                try
                {
                    child.StandardInput.Close();
                    if (!child.WaitForExit(20_000))
                    {
                        child.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                }

                child.Dispose();
            }

            await using var admin = new NpgsqlConnection(postgres);
            await admin.OpenAsync().ConfigureAwait(false);
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", admin);
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The database's committed and rolled-back transactions so far (every statement outside a transaction counts as one; the statistics lag by up to a second).</summary>
    private static async Task<(long Commits, long Rollbacks)> TransactionsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT pg_stat_clear_snapshot(); SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database();", connection);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.NextResultAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>A process's peak resident set in MB (VmHWM in /proc/pid/status), or 0 where there is no /proc.</summary>
    private static double PeakResidentMb(int pid)
    {
        string path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return 0;
        }

        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static Task<long> CompletedItemsAsync(NpgsqlConnection connection) =>
        ScalarAsync(connection, "SELECT count(*) FROM events WHERE event LIKE '{\"$type\":\"workItemCompleted\"%';");

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>The server's version and durability settings, as the report must state them.</summary>
    private static async Task<string> ServerSettingsAsync(string postgres)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('shared_buffers');", connection);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        return Invariant($"version {reader.GetString(0)}, fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, shared_buffers={reader.GetString(3)}");
    }

    private static string Report(List<Row> rows, int workers, int projects, int features, double warmup, double seconds, string settings)
    {
        var md = new StringBuilder();
        md.AppendLine("# Load harness: worker processes on PostgreSQL (and Redis)");
        md.AppendLine();
        md.AppendLine(Invariant($"`dotnet run -c Release --project benchmarks/VirtualItCompany.Benchmarks -- processes` on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}, with PostgreSQL and Redis from `eng/test-servers.sh` on the same machine; PostgreSQL {settings}{(settings.Contains("fsync=off", StringComparison.Ordinal) ? " (the test servers' throw-away settings: commits are not durable, so these figures are an upper bound for a durable server)" : "")}."));
        md.AppendLine(Invariant($"Each worker process runs {workers} workers: the real dispatcher, orchestrator and lifecycle, forward agents and the zero-latency fake model; {projects} projects of {BenchmarkCompany.ItemsFor(features)} items each are submitted before the workers start; after {warmup:0} s of warm-up the items completed in the store are counted over {seconds:0} s; then every project must complete with each item completed exactly once."));
        md.AppendLine();
        md.AppendLine("| storage | worker processes | items/s | items in window | transactions per item | rollbacks per item | projects verified | problems |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows)
        {
            md.AppendLine(Invariant($"| {row.Storage} | {row.Processes} | {row.ItemsPerSecond:N0} | {row.Items} | {row.TransactionsPerItem:0.0} | {row.RollbacksPerItem:0.00} | {row.Verified}/{projects} | {(row.Problems.Count == 0 ? "none" : string.Join(" ", row.Problems))} |"));
        }

        md.AppendLine();
        md.AppendLine("Issue 11's target: >= 2,000 items/s with 2 worker processes on this 2-core machine (stretch 5,000). The database server, Redis and the worker processes share the same two cores here.");
        return md.ToString();
    }

    private static string LatencyReport(List<Row> rows, Dictionary<string, TimeSpan> criticalPaths, int workers, int projects, int features, int latencyMs, string settings)
    {
        int items = BenchmarkCompany.ItemsFor(features);
        var md = new StringBuilder();
        md.AppendLine("# Load harness: many concurrent projects with a slow model, worker processes on PostgreSQL (and Redis)");
        md.AppendLine();
        md.AppendLine(Invariant($"`dotnet run -c Release --project benchmarks/VirtualItCompany.Benchmarks -- processes --latency-ms {latencyMs} --projects {projects} --workers {workers}` on {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}, with PostgreSQL and Redis from `eng/test-servers.sh` on the same machine; PostgreSQL {settings}."));
        md.AppendLine(Invariant($"{projects:N0} projects of {items} items each are submitted, then the worker processes start, each with {workers} workers (the real dispatcher, orchestrator and lifecycle, forward agents); every model call waits {latencyMs} ms before the fake model answers (a simulated provider latency; the time is spent waiting, not computing). **End-to-end** is from the moment every worker process is ready to the moment the last project is completed in the store. The **critical path** is one project alone on one process with the same latency: the least any project can take. Peak memory is the highest peak resident set (VmHWM) of the run's worker processes. Every project is then checked: completed, each item completed exactly once."));
        md.AppendLine();
        md.AppendLine("| storage | worker processes | workers in all | end-to-end s | critical path s | end-to-end / critical path | items/s over the run | least possible s with this many workers | peak memory per worker process MB | projects verified | problems |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows)
        {
            var critical = criticalPaths.GetValueOrDefault(row.Storage);
            double total = (double)projects * items;
            // With W workers, at least projects * items calls of latency each must be waited for, W at a time.
            double leastSeconds = Math.Max(critical.TotalSeconds, total * latencyMs / 1000.0 / (row.Processes * workers));
            md.AppendLine(Invariant($"| {row.Storage} | {row.Processes} | {row.Processes * workers} | {row.EndToEnd.TotalSeconds:0.0} | {critical.TotalSeconds:0.0} | {row.EndToEnd.TotalSeconds / critical.TotalSeconds:0.0} | {total / row.EndToEnd.TotalSeconds:N0} | {leastSeconds:0.0} | {row.PeakMemoryMb:N0} | {row.Verified}/{projects} | {(row.Problems.Count == 0 ? "none" : string.Join(" ", row.Problems))} |"));
        }

        md.AppendLine();
        return md.ToString();
    }

    private sealed record Row(string Storage, int Processes, int Workers, long Items, TimeSpan Window, int Verified, List<string> Problems)
    {
        /// <summary>Gets the time from every worker process being ready to the last project completed.</summary>
        public TimeSpan EndToEnd { get; init; }

        /// <summary>Gets the highest peak resident set of the run's worker processes, in MB.</summary>
        public double PeakMemoryMb { get; init; }

        public double ItemsPerSecond => Window.TotalSeconds > 0 ? Items / Window.TotalSeconds : 0;

        /// <summary>Gets the database transactions (explicit or one statement) per item in the window: what the round trips cost.</summary>
        public double TransactionsPerItem { get; init; }

        public double RollbacksPerItem { get; init; }
    }
}
