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

    public static string Format(LoadOptions options, IReadOnlyList<string> args, IReadOnlyList<LoadResult> runs, IReadOnlyList<LoadResult> breakdown, LoadResult? profile)
    {
        var md = new StringBuilder();
        md.AppendLine("# Load harness");
        md.AppendLine();
        md.AppendLine("Projects pushed through the in-memory runtime (real `WorkDispatcher`, `WorkOrchestrator`, `InMemoryCompanyStore`, `LifecycleEngine`, default lifecycle) with the zero-latency `FakeChatClient`, `ForwardAgent`s (one model call per item; the agent approves its own client review) and `InMemoryWorkspaceProvider`.");
        md.AppendLine(Invariant($"Each project plans {options.Features} features, so it commits {BenchmarkCompany.ItemsFor(options.Features)} work items. Figures are for a window of {options.Seconds:0.#} s after a {options.WarmupSeconds:0.#} s warm-up, the median of {options.Repeat} runs by items/s (all runs listed: this shared 2-core VM varies by tens of percent from run to run); a new project is submitted whenever one completes; afterwards the projects in flight are drained and every project is verified (completed, nothing outstanding, exactly the expected items and model calls, no failures)."));
        md.AppendLine();
        md.AppendLine(Invariant($"Design target: >= {TargetItemsPerSecond:N0} items/s and <= {TargetBytesPerItem / 1024:0} KB allocated per item. For scale, Microsoft Agent Framework Workflows: ~31,800 agent steps/s one workflow at a time, ~14,400 steps/s with 64 in flight, ~56 KB per step."));
        md.AppendLine();
        md.AppendLine("## Machine and command");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine("dotnet run -c Release --project benchmarks/VirtualItCompany.Benchmarks -- load" + (args.Count > 0 ? " " + string.Join(' ', args) : string.Empty));
        md.AppendLine("```");
        md.AppendLine();
        foreach (var line in Environment())
        {
            md.AppendLine("- " + line);
        }

        md.AppendLine();
        md.AppendLine("## Best per scenario");
        md.AppendLine();
        md.AppendLine("| in flight | best workers | items/s | projects/s | bytes/item | target met |");
        md.AppendLine("|---:|---:|---:|---:|---:|---|");
        foreach (var group in runs.GroupBy(r => r.Scenario.InFlight))
        {
            var best = group.MaxBy(r => r.ItemsPerSecond)!;
            bool met = best.ItemsPerSecond >= TargetItemsPerSecond && best.BytesPerItem <= TargetBytesPerItem;
            md.AppendLine(Invariant($"| {group.Key} | {best.Scenario.Workers} | {best.ItemsPerSecond:N0} | {best.ProjectsPerSecond:N0} | {best.BytesPerItem:N0} | {(met ? "yes" : "no")} |"));
        }

        md.AppendLine();
        md.AppendLine("## All runs");
        md.AppendLine();
        md.AppendLine("bytes/item: allocated in the window / items committed in it. retained bytes/item: heap growth over the whole run after a full collection (what the company still holds: the store's projects and events, queue bookkeeping, workspaces) / items committed. CPU us/item: process CPU time in the window / items. GC pause: share of the window the runtime was paused for collections.");
        md.AppendLine();
        Table(md, runs);
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

        var problems = runs.Concat(breakdown).Concat(profile is null ? [] : [profile]).SelectMany(r => r.Problems.Select(p => $"{r.Scenario.InFlight} in flight, {r.Scenario.Workers} workers, {r.Scenario.Variant}: {p}")).ToList();
        md.AppendLine();
        md.AppendLine("## Verification");
        md.AppendLine();
        md.AppendLine(problems.Count == 0
            ? Invariant($"Every run passed: {runs.Concat(breakdown).Sum(r => r.Repeats.Sum(x => x.ProjectsVerified)):N0} projects verified.")
            : "Problems:\n\n" + string.Join('\n', problems.Select(p => "- " + p)));
        return md.ToString();
    }

    public static string Line(LoadResult r) => Invariant(
        $"{r.Scenario.InFlight,3} in flight, {r.Scenario.Workers} workers, {r.Scenario.Variant,-24}: {r.ItemsPerSecond,9:N0} items/s {r.ProjectsPerSecond,7:N0} projects/s {r.BytesPerItem,7:N0} B/item {r.RetainedBytesPerItem,6:N0} B/item retained {r.CpuMicrosecondsPerItem,6:N1} CPU us/item gen0/1/2 {r.Gen0}/{r.Gen1}/{r.Gen2} {(r.Verified ? "verified" : "PROBLEMS: " + string.Join(" ", r.Problems))}");

    private static void Table(StringBuilder md, IEnumerable<LoadResult> runs)
    {
        md.AppendLine("| in flight | workers | variant | window s | items | items/s (median) | items/s (all runs) | projects/s | bytes/item | retained bytes/item | CPU us/item | gen0/1/2 | GC pause | verified |");
        md.AppendLine("|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---|");
        foreach (var r in runs)
        {
            md.AppendLine(Invariant($"| {r.Scenario.InFlight} | {r.Scenario.Workers} | {r.Scenario.Variant} | {r.Window.TotalSeconds:0.00} | {r.Items:N0} | {r.ItemsPerSecond:N0} | {string.Join(", ", r.Repeats.Select(x => x.ItemsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} | {r.ProjectsPerSecond:N0} | {r.BytesPerItem:N0} | {r.RetainedBytesPerItem:N0} | {r.CpuMicrosecondsPerItem:N1} | {r.Gen0}/{r.Gen1}/{r.Gen2} | {r.GcPausePercent:0.0}% | {(r.Verified ? Invariant($"{r.ProjectsVerified:N0} projects") : "NO")} |"));
        }
    }

    private static IEnumerable<string> Environment()
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
