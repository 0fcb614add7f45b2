using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Runtime;

namespace VirtualItCompany.Benchmarks.Load;

/// <summary>
/// The <c>recovery</c> verb: how fast a new host picks up interrupted projects from a SQLite file.
/// </summary>
/// <remarks>
/// A first host submits N projects to a fresh file and a worker that then "dies" leases every project's first item (the
/// requirements analysis) with a one-second lease and never commits; the host is disposed and the leases lapse. Then a new
/// process (this program, <c>recovery --resume file</c>) opens the file and runs its dispatcher; it measures, from its own
/// start as the operating system reports it, when each interrupted item is leased again (a queue decorator) and when its
/// completion is committed (the live feed publishes after the durable commit), and checks that each re-lease counts the
/// lapsed one (attempt 2).
/// </remarks>
internal static class RecoveryCommand
{
    private static readonly string[] Names = ["--projects", "--workers", "--output", "--resume", "--timeout"];

    // Times of a run that did not get there are NaN.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = VerbOptions.Parse(args, Names, []);
        int projects = options.Int("--projects", 1_000);
        int workers = options.Int("--workers", 64);
        if (options.String("--resume") is { } file)
        {
            return await ResumeAsync(file, projects, workers, TimeSpan.FromSeconds(options.Int("--timeout", 60))).ConfigureAwait(false);
        }

        using var folder = new TemporaryFolder("vic-recovery");
        string db = Path.Combine(folder.Path, "company.db");
        var prepare = Stopwatch.StartNew();
        await PrepareAsync(db, projects).ConfigureAwait(false);
        Console.WriteLine($"Prepared {projects} interrupted projects in {prepare.Elapsed.TotalSeconds:0.0} s: {db}");

        var runs = new List<Measured>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            // Each run starts from the same interrupted file: a copy of it.
            string copy = Path.Combine(folder.Path, $"run-{attempt}.db");
            File.Copy(db, copy);
            runs.Add(await RunChildAsync(copy, projects, workers).ConfigureAwait(false));
            Console.WriteLine(runs[^1].Line());
        }

        string report = Report(args, projects, workers, runs);
        string path = options.Output("load-harness-recovery.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, report).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine(report);
        Console.WriteLine($"Written to {Path.GetFullPath(path)}");
        return runs.All(r => r.Problems.Count == 0) ? 0 : 1;
    }

    /// <summary>Submits the projects and leases every first item for a worker that never comes back.</summary>
    private static async Task PrepareAsync(string db, int projects)
    {
        var company = new BenchmarkCompany(workers: 1, sqlite: Sqlite(db));
        await using (company.ConfigureAwait(false))
        {
            var brief = BenchmarkCompany.Brief(0);
            // Submitted in groups, so that group commit writes many at once.
            for (int i = 0; i < projects; i += 64)
            {
                await Task.WhenAll(Enumerable.Range(i, Math.Min(64, projects - i)).Select(_ => company.Company.SubmitAsync(brief))).ConfigureAwait(false);
            }

            // Long enough that none lapses while the others are leased (a busy machine leases 1,000 in more than a second).
            var lease = new LeaseRequest("worker-that-died", LeaseTime);
            int leased = 0;
            while (await company.Queue.TryLeaseAsync(lease).ConfigureAwait(false) is not null)
            {
                leased++;
            }

            if (leased != projects)
            {
                throw new InvalidOperationException($"Leased {leased} items for {projects} projects.");
            }
        }

        // Past the leases' expiry: the next host finds them lapsed.
        await Task.Delay(LeaseTime + TimeSpan.FromSeconds(0.5)).ConfigureAwait(false);
    }

    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(10);

    private static Storage.Sqlite.SqliteStorageOptions Sqlite(string db) => new() { ConnectionString = "Data Source=" + db, Synchronous = Storage.Sqlite.SqliteSynchronous.Full };

    private static async Task<Measured> RunChildAsync(string db, int projects, int workers)
    {
        string self = typeof(RecoveryCommand).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(self);
        }

        foreach (var arg in new[] { "recovery", "--resume", db, "--projects", projects.ToString(CultureInfo.InvariantCulture), "--workers", workers.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        string output = await child.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await child.WaitForExitAsync().ConfigureAwait(false);
        string? json = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        return json is null
            ? new Measured(0, 0, 0, 0, 0, 0, 0, [$"The new host exited with {child.ExitCode} and no result: {output}"])
            : JsonSerializer.Deserialize<Measured>(json, Json)!;
    }

    /// <summary>The new host: opens the file, runs the workers, and times the interrupted items.</summary>
    private static async Task<int> ResumeAsync(string db, int projects, int workers, TimeSpan timeout)
    {
        // From the process's start as the OS has it: runtime start-up and JIT count too.
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        double Since() => (DateTime.UtcNow - started).TotalMilliseconds;
        double mainAt = Since();

        var leased = new ConcurrentDictionary<ProjectId, (double At, int Attempt)>();
        var completed = new ConcurrentDictionary<ProjectId, double>();
        var company = new BenchmarkCompany(
            workers,
            sqlite: Sqlite(db),
            configure: services => services.AddSingleton<IWorkQueue>(sp => new LeaseObserver((IWorkQueue)sp.GetRequiredService<IProjectStore>(), lease => leased.TryAdd(lease.Item.ProjectId, (Since(), lease.Attempt)))));
        await using var dispose = company.ConfigureAwait(false);
        using var subscription = company.Feed.Subscribe();
        // Opens the file (the hosted service does this at host start).
        _ = await company.Queue.CountAsync().ConfigureAwait(false);
        double readyAt = Since();

        using var stop = new CancellationTokenSource();
        var dispatching = Task.Run(() => company.Dispatcher.RunAsync(stop.Token));
        using var deadline = new CancellationTokenSource(timeout);
        var problems = new List<string>();
        try
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(deadline.Token).ConfigureAwait(false))
            {
                // The first item of each project is the one the dead worker held.
                if (e.Event is WorkItemCompleted done && completed.TryAdd(done.ProjectId, Since()) && completed.Count == projects)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            problems.Add($"Only {completed.Count} of {projects} interrupted items completed within {timeout.TotalSeconds:0} s.");
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await dispatching.ConfigureAwait(false);

        int firstTries = leased.Values.Count(l => l.Attempt != 2);
        if (firstTries > 0)
        {
            problems.Add($"{firstTries} re-leases did not count the lapsed lease (attempt 2).");
        }

        if (leased.Count < projects)
        {
            problems.Add($"Only {leased.Count} of {projects} projects had their item leased again.");
        }

        var measured = new Measured(
            mainAt,
            readyAt,
            leased.IsEmpty ? double.NaN : leased.Values.Min(l => l.At),
            leased.Count < projects ? double.NaN : leased.Values.Max(l => l.At),
            completed.IsEmpty ? double.NaN : completed.Values.Min(),
            completed.Count < projects ? double.NaN : completed.Values.Max(),
            projects,
            problems);
        Console.WriteLine(JsonSerializer.Serialize(measured, Json));
        return problems.Count == 0 ? 0 : 1;
    }

    private static string Report(IReadOnlyList<string> args, int projects, int workers, List<Measured> runs)
    {
        var md = new StringBuilder();
        string I(FormattableString s) => FormattableString.Invariant(s);
        md.AppendLine("# Recovery after a crash (SQLite)");
        md.AppendLine();
        md.AppendLine(I($"{projects:N0} interrupted projects in one SQLite file (`Synchronous=Full`): a first host submitted them and a worker then leased every project's first item (requirements analysis) with a 10 s lease and died (it never committed or released); the host was disposed and the leases lapsed. A new host, a new process of this program (`recovery --resume file`, {workers} workers, forward agents and the zero-latency fake model as in the load harness), opens the file and runs its dispatcher. Times are from the new process's start as the operating system reports it (runtime start-up, JIT and opening the file included):"));
        md.AppendLine();
        md.AppendLine("- **host ready**: the container is built and the file is open (schema checked);");
        md.AppendLine("- **first / all re-leased**: the first / the last of the interrupted items is leased again (a decorator on the queue sees the lease; every one must be attempt 2, the lapsed lease counted);");
        md.AppendLine(I($"- **first / all completed**: the first / the last of them is completed and durably committed (its `WorkItemCompleted` on the live feed, which publishes after the commit). **Recovery time = all completed**, target <= 2 s for {projects:N0} projects."));
        md.AppendLine();
        md.AppendLine("Each run resumes a fresh copy of the same interrupted file; three runs.");
        md.AppendLine();
        md.AppendLine("## Machine and command");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine("dotnet run -c Release --project benchmarks/VirtualItCompany.Benchmarks -- recovery" + (args.Count > 0 ? " " + string.Join(' ', args) : string.Empty));
        md.AppendLine("```");
        md.AppendLine();
        foreach (var line in LoadReport.Machine())
        {
            md.AppendLine("- " + line);
        }

        md.AppendLine();
        md.AppendLine("## Results (ms since the new process started)");
        md.AppendLine();
        md.AppendLine("| run | Main entered | host ready | first re-leased | all re-leased | first completed | all completed (recovery time) | target met |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            md.AppendLine(I($"| {i + 1} | {r.MainMs:N0} | {r.ReadyMs:N0} | {r.FirstLeasedMs:N0} | {r.AllLeasedMs:N0} | {r.FirstCompletedMs:N0} | {r.AllCompletedMs:N0} | {(r.AllCompletedMs <= 2000 ? "yes" : "no")} |"));
        }

        var problems = runs.SelectMany(r => r.Problems).ToList();
        md.AppendLine();
        md.AppendLine("## Verification");
        md.AppendLine();
        md.AppendLine(problems.Count == 0
            ? I($"Every run re-leased all {projects:N0} interrupted items as their second attempt and committed their completion.")
            : "Problems:\n\n" + string.Join('\n', problems.Select(p => "- " + p)));
        return md.ToString();
    }

    /// <summary>What the new host measured, in milliseconds since its process started.</summary>
    internal sealed record Measured(double MainMs, double ReadyMs, double FirstLeasedMs, double AllLeasedMs, double FirstCompletedMs, double AllCompletedMs, int Projects, IReadOnlyList<string> Problems)
    {
        public string Line() => FormattableString.Invariant($"recovery: host ready {ReadyMs:N0} ms, first re-lease {FirstLeasedMs:N0} ms, all re-leased {AllLeasedMs:N0} ms, first completed {FirstCompletedMs:N0} ms, all {Projects} completed {AllCompletedMs:N0} ms{(Problems.Count == 0 ? string.Empty : " PROBLEMS: " + string.Join(" ", Problems))}");
    }

    /// <summary>Passes everything to the queue and reports each lease it hands out.</summary>
    private sealed class LeaseObserver(IWorkQueue inner, Action<WorkLease> leased) : IWorkQueue
    {
        public async ValueTask<WorkLease?> TryLeaseAsync(LeaseRequest request, CancellationToken cancellationToken = default)
        {
            var lease = await inner.TryLeaseAsync(request, cancellationToken).ConfigureAwait(false);
            if (lease is not null)
            {
                leased(lease);
            }

            return lease;
        }

        public ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default) => inner.WaitForWorkAsync(maxWait, cancellationToken);

        public ValueTask<WorkLease> RenewAsync(WorkLease lease, TimeSpan duration, CancellationToken cancellationToken = default) => inner.RenewAsync(lease, duration, cancellationToken);

        public ValueTask ReleaseAsync(WorkLease lease, CancellationToken cancellationToken = default) => inner.ReleaseAsync(lease, cancellationToken);

        public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);
    }
}
