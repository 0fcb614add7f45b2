using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace VirtualItCompany.Benchmarks.Load;

/// <summary>Writes the load harness's results as a markdown report.</summary>
internal static class LoadReport
{
    public const double TargetItemsPerSecond = 50_000;

    public const double TargetBytesPerItem = 10 * 1024;

    public const double TargetSqliteItemsPerSecond = 5_000;

    public const double StretchSqliteItemsPerSecond = 20_000;

    public static string Format(LoadOptions options, IReadOnlyList<string> args, IReadOnlyList<LoadResult> runs, IReadOnlyList<LoadResult> breakdown, LoadResult? profile, IReadOnlyList<MafResult> maf)
    {
        var md = new StringBuilder();
        bool sqlite = runs.Any(r => r.Scenario.Store.IsSqlite);
        md.AppendLine("# Load harness");
        md.AppendLine();
        md.AppendLine("Projects pushed through the real runtime (`WorkDispatcher`, `WorkOrchestrator`, `LifecycleEngine`, default lifecycle, the chat pipeline with the cost-aware router and budget account, the live event feed) with the zero-latency `FakeChatClient`, `ForwardAgent`s (one model call per item; the agent approves its own client review) and `InMemoryWorkspaceProvider`.");
        md.AppendLine(sqlite
            ? Invariant($"Storage: `memory` is the in-memory store, queue and budget account; `sqlite` is `UseSqliteStorage` on a fresh file in a temporary folder per run (same disk as the repository), `Synchronous={options.SqliteSynchronous}` ({(options.SqliteSynchronous == Storage.Sqlite.SqliteSynchronous.Full ? "every commit is on disk before its task completes" : "commits are flushed at checkpoints only: not durable against a power loss")}), group commit up to {options.SqliteBatch} writes per transaction. On SQLite every item goes through the file: lease, budget limit, reservation, journal record, settlement, commit (events, snapshot, queue changes), each a durable write, plus the reads of the snapshot and the journal.")
            : "Storage: the in-memory store, queue and budget account.");
        md.AppendLine(Invariant($"Each project plans {options.Features} features, so it commits {BenchmarkCompany.ItemsFor(options.Features)} work items. Figures are for a window of {options.Seconds:0.#} s after a {options.WarmupSeconds:0.#} s warm-up, the median of {options.Repeat} runs by items/s (all runs listed: this shared 2-core VM varies by tens of percent from run to run); a new project is submitted whenever one completes; afterwards the projects in flight are drained and every project is verified (completed, nothing outstanding, exactly the expected items and model calls, no failures)."));
        md.AppendLine();
        md.AppendLine(Invariant($"Design targets: in memory >= {TargetItemsPerSecond:N0} items/s and <= {TargetBytesPerItem / 1024:0} KB allocated per item; on SQLite with every commit durable >= {TargetSqliteItemsPerSecond:N0} items/s (stretch {StretchSqliteItemsPerSecond:N0})."));
        md.AppendLine();
        md.AppendLine("## Machine and command");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine("dotnet run -c Release --project benchmarks/VirtualItCompany.Benchmarks -- load" + (args.Count > 0 ? " " + string.Join(' ', args) : string.Empty));
        md.AppendLine("```");
        md.AppendLine();
        foreach (var line in Machine())
        {
            md.AppendLine("- " + line);
        }

        md.AppendLine();
        md.AppendLine("## Best per scenario");
        md.AppendLine();
        md.AppendLine("| storage | in flight | best workers | items/s | projects/s | bytes/item | target met |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var group in runs.GroupBy(r => (r.Scenario.Store, r.Scenario.InFlight)))
        {
            var best = group.MaxBy(r => r.ItemsPerSecond)!;
            string met = group.Key.Store.IsSqlite
                ? best.ItemsPerSecond >= StretchSqliteItemsPerSecond ? "yes, and the stretch" : best.ItemsPerSecond >= TargetSqliteItemsPerSecond ? "yes" : "no"
                : best.ItemsPerSecond >= TargetItemsPerSecond && best.BytesPerItem <= TargetBytesPerItem ? "yes" : "no";
            md.AppendLine(Invariant($"| {group.Key.Store} | {group.Key.InFlight} | {best.Scenario.Workers} | {best.ItemsPerSecond:N0} | {best.ProjectsPerSecond:N0} | {best.BytesPerItem:N0} | {met} |"));
        }

        md.AppendLine();
        md.AppendLine("## All runs");
        md.AppendLine();
        md.AppendLine("bytes/item: allocated in the window / items committed in it. retained bytes/item: heap growth over the whole run after a full collection (what the company still holds: the store's projects and events, queue bookkeeping, workspaces) / items committed. CPU us/item: process CPU time in the window / items. GC pause: share of the window the runtime was paused for collections. file bytes/item (SQLite): the database and its write-ahead log at the end of the run / items committed.");
        md.AppendLine();
        Table(md, runs);
        var profiled = runs.SelectMany(r => r.Repeats.Count > 0 ? r.Repeats : [r]).Where(r => r.StoreProfile is not null).ToList();
        if (profiled.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## SQLite: statements per item");
            md.AppendLine();
            md.AppendLine("Counted in the store during each run's window (`SqliteStatistics`): reads (each on a read connection, any thread), writes (each a savepoint of a batch on the one writer thread; time in its statements), batches (transactions; time in `COMMIT`, i.e. the write-ahead log's append and fsync, and from `BEGIN` to the end of `COMMIT`), divided by the items committed in the window.");
            md.AppendLine();
            md.AppendLine("| in flight | workers | items/s | store profile |");
            md.AppendLine("|---:|---:|---:|---|");
            foreach (var r in profiled)
            {
                md.AppendLine(Invariant($"| {r.Scenario.InFlight} | {r.Scenario.Workers} | {r.ItemsPerSecond:N0} | {r.StoreProfile} |"));
            }
        }

        if (breakdown.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Breakdown");
            md.AppendLine();
            md.AppendLine("The same load with parts of the path taken away: without a live-feed subscriber (a store decorator counts instead, and `ProjectEventFeed.Publish` returns early), and with agents that skip the model call (no `WorkItemChatClient` tagging and metering, no `FunctionInvokingChatClient` call, no `ModelCallCompleted` event). The difference to the full run is what the part costs.");
            md.AppendLine();
            Table(md, breakdown);
        }

        if (profile is not null)
        {
            md.AppendLine();
            md.AppendLine("## Allocations by type (sampled)");
            md.AppendLine();
            md.AppendLine(Invariant($"Allocation ticks (one about every 100 KB) sampled in process by an `EventListener` during a full run ({profile.Scenario.InFlight} in flight, {profile.Scenario.Workers} workers; {profile.BytesPerItem:N0} bytes/item in that run, the listener's own allocations included). The type is the one whose allocation crossed the tick, so a share estimates that type's part of all bytes."));
            md.AppendLine();
            md.AppendLine("| type | share | ~bytes/item |");
            md.AppendLine("|---|---:|---:|");
            foreach (var (type, share) in profile.AllocationsByType)
            {
                md.AppendLine(Invariant($"| `{type}` | {share:P1} | {share * profile.BytesPerItem:N0} |"));
            }

            double other = 1 - profile.AllocationsByType.Sum(t => t.Share);
            md.AppendLine(Invariant($"| (all other types) | {other:P1} | {other * profile.BytesPerItem:N0} |"));
        }

        if (maf.Count > 0)
        {
            Maf(md, runs, maf);
        }

        var problems = runs.Concat(breakdown).Concat(profile is null ? [] : [profile]).SelectMany(r => r.Problems.Select(p => $"{r.Scenario.Store}, {r.Scenario.InFlight} in flight, {r.Scenario.Workers} workers, {r.Scenario.Variant}: {p}")).ToList();
        md.AppendLine();
        md.AppendLine("## Verification");
        md.AppendLine();
        problems.AddRange(maf.SelectMany(r => r.Problems.Select(p => $"Agent Framework, {r.Scenario.InFlight} in flight, {r.Scenario.Checkpointing}: {p}")));
        md.AppendLine(problems.Count == 0
            ? Invariant($"Every run passed: {runs.Concat(breakdown).Sum(r => r.Repeats.Sum(x => x.ProjectsVerified)):N0} projects verified") + (maf.Count == 0 ? "." : Invariant($"; {maf.Sum(r => r.Repeats.Sum(x => x.Workflows)):N0} Agent Framework workflows counted in the windows, each with ten agent answers, and the fake model called once per step."))
            : "Problems:\n\n" + string.Join('\n', problems.Select(p => "- " + p)));
        return md.ToString();
    }

    public static string Line(MafResult r) => Invariant(
        $"Agent Framework {r.Scenario.Checkpointing,-10} {r.Scenario.InFlight,3} in flight: {r.StepsPerSecond,9:N0} steps/s {r.BytesPerStep,7:N0} B/step {r.CpuMicrosecondsPerStep,6:N1} CPU us/step gen0/1/2 {r.Gen0}/{r.Gen1}/{r.Gen2} {(r.Verified ? "verified" : "PROBLEMS: " + string.Join(" ", r.Problems))}");

    private static void Maf(StringBuilder md, IReadOnlyList<LoadResult> runs, IReadOnlyList<MafResult> maf)
    {
        string version = typeof(Microsoft.Agents.AI.Workflows.Workflow).Assembly.GetName().Version?.ToString(3) ?? "?";
        md.AppendLine();
        md.AppendLine("## Microsoft Agent Framework Workflows, same run");
        md.AppendLine();
        md.AppendLine(Invariant($"`Microsoft.Agents.AI.Workflows` {version}: ten `ChatClientAgent`s in a sequential workflow (`AgentWorkflowBuilder.BuildSequential`) over the same zero-latency `FakeChatClient` (one call per agent), run with `InProcessExecution.RunStreamingAsync` and a `TurnToken`; a fixed number of workflows in flight (each lane starts the next as soon as its last one yields its output). A step is one agent's turn, the counterpart of one of our work items. Checkpointing: none; `CheckpointManager.CreateInMemory()`; `CheckpointManager.CreateJson(new FileSystemJsonCheckpointStore(folder))` (a JSON file per super step plus an index line, one store and folder per lane because the store is not thread-safe). The file store writes and flushes to the operating system but does not fsync, so its checkpoints survive a crash of the process, not of the machine: it is closer to our SQLite `Synchronous=Normal` than to `Full`. Same window, warm-up and repeats as above."));
        md.AppendLine();
        md.AppendLine("| in flight | checkpointing | steps/s (median) | steps/s (all runs) | workflows/s | bytes/step | CPU us/step | gen0/1/2 | checkpoint files | verified |");
        md.AppendLine("|---:|---|---:|---|---:|---:|---:|---|---:|---|");
        foreach (var r in maf)
        {
            md.AppendLine(Invariant($"| {r.Scenario.InFlight} | {Describe(r.Scenario.Checkpointing)} | {r.StepsPerSecond:N0} | {string.Join(", ", r.Repeats.Select(x => x.StepsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} | {r.Workflows / r.Window.TotalSeconds:N0} | {r.BytesPerStep:N0} | {r.CpuMicrosecondsPerStep:N1} | {r.Gen0}/{r.Gen1}/{r.Gen2} | {r.CheckpointFiles:N0} | {(r.Verified ? "yes" : "NO")} |"));
        }

        md.AppendLine();
        md.AppendLine("Ours against theirs at the same number in flight (ours: the best worker count of the scenario; a ratio above 1 means ours is faster):");
        md.AppendLine();
        md.AppendLine("| in flight | ours | items/s | Agent Framework | steps/s | ratio | ours bytes/item | theirs bytes/step |");
        md.AppendLine("|---:|---|---:|---|---:|---:|---:|---:|");
        foreach (var group in maf.GroupBy(r => r.Scenario.InFlight))
        {
            var memory = runs.Where(r => !r.Scenario.Store.IsSqlite && r.Scenario.InFlight == group.Key).MaxBy(r => r.ItemsPerSecond);
            var sqlite = runs.Where(r => r.Scenario.Store.IsSqlite && r.Scenario.InFlight == group.Key).MaxBy(r => r.ItemsPerSecond);
            var pairs = new (LoadResult? Ours, MafCheckpointing Theirs)[] { (memory, MafCheckpointing.None), (memory, MafCheckpointing.Memory), (sqlite, MafCheckpointing.JsonFiles) };
            foreach (var (ours, theirs) in pairs)
            {
                var other = group.FirstOrDefault(r => r.Scenario.Checkpointing == theirs);
                if (ours is null || other is null)
                {
                    continue;
                }

                md.AppendLine(Invariant($"| {group.Key} | {ours.Scenario.Store}, {ours.Scenario.Workers} workers | {ours.ItemsPerSecond:N0} | {Describe(theirs)} | {other.StepsPerSecond:N0} | {ours.ItemsPerSecond / other.StepsPerSecond:0.00} | {ours.BytesPerItem:N0} | {other.BytesPerStep:N0} |"));
            }
        }
    }

    private static string Describe(MafCheckpointing checkpointing) => checkpointing switch
    {
        MafCheckpointing.None => "no checkpointing",
        MafCheckpointing.Memory => "in-memory checkpoints",
        _ => "JSON file checkpoints",
    };

    public static string Line(LoadResult r) => Invariant(
        $"{r.Scenario.Store,-22} {r.Scenario.InFlight,3} in flight, {r.Scenario.Workers,2} workers, {r.Scenario.Variant,-24}: {r.ItemsPerSecond,9:N0} items/s {r.ProjectsPerSecond,7:N0} projects/s {r.BytesPerItem,7:N0} B/item {r.RetainedBytesPerItem,6:N0} B/item retained {r.CpuMicrosecondsPerItem,6:N1} CPU us/item gen0/1/2 {r.Gen0}/{r.Gen1}/{r.Gen2} {(r.Verified ? "verified" : "PROBLEMS: " + string.Join(" ", r.Problems))}");

    private static void Table(StringBuilder md, IEnumerable<LoadResult> runs)
    {
        md.AppendLine("| storage | in flight | workers | variant | window s | items | items/s (median) | items/s (all runs) | projects/s | bytes/item | retained bytes/item | file bytes/item | CPU us/item | gen0/1/2 | GC pause | verified |");
        md.AppendLine("|---|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---|");
        foreach (var r in runs)
        {
            md.AppendLine(Invariant($"| {r.Scenario.Store} | {r.Scenario.InFlight} | {r.Scenario.Workers} | {r.Scenario.Variant} | {r.Window.TotalSeconds:0.00} | {r.Items:N0} | {r.ItemsPerSecond:N0} | {string.Join(", ", r.Repeats.Select(x => x.ItemsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} | {r.ProjectsPerSecond:N0} | {r.BytesPerItem:N0} | {r.RetainedBytesPerItem:N0} | {(double.IsNaN(r.FileBytesPerItem) ? "-" : r.FileBytesPerItem.ToString("N0", CultureInfo.InvariantCulture))} | {r.CpuMicrosecondsPerItem:N1} | {r.Gen0}/{r.Gen1}/{r.Gen2} | {r.GcPausePercent:0.0}% | {(r.Verified ? Invariant($"{r.ProjectsVerified:N0} projects") : "NO")} |"));
        }
    }

    internal static IEnumerable<string> Machine()
    {
        yield return Invariant($"Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}");
        yield return "Commit: " + (Git("rev-parse --short HEAD") ?? "unknown") + (string.IsNullOrEmpty(Git("status --porcelain --untracked-files=no")) ? string.Empty : " (with uncommitted changes)");
        yield return $"OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})";
        yield return $"CPU: {CpuModel() ?? "unknown"}, {System.Environment.ProcessorCount} logical cores";
        yield return $"Runtime: {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, concurrent {AppContext.TryGetSwitch("System.GC.Concurrent", out bool concurrent) && concurrent}, tiered PGO";
#if DEBUG
        yield return "Build: **Debug** (figures are not representative; use -c Release)";
#else
        yield return "Build: Release";
#endif
    }

    private static string? CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null)
            {
                return null;
            }

            string output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
