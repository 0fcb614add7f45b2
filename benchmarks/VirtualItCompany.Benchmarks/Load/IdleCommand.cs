using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Benchmarks.Load;

/// <summary>
/// The <c>idle</c> verb: managed memory per open project that waits for its client, in memory and on SQLite.
/// </summary>
/// <remarks>
/// N projects are submitted to a running company whose project manager asks the client a question in requirements analysis
/// (after its one model call), so every project ends up <see cref="ProjectStatus.WaitingForClient"/> with nothing on the queue.
/// With the workers still running (idle), the managed heap after a full, compacting collection is compared with the same
/// company before the first submission: the difference divided by N is what one idle project costs.
/// </remarks>
internal static class IdleCommand
{
    private static readonly string[] Names = ["--projects", "--storage", "--output"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = VerbOptions.Parse(args, Names, []);
        int projects = options.Int("--projects", 10_000);
        string[] storages = (options.String("--storage") ?? "memory,sqlite").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var results = new List<Result>();
        foreach (string storage in storages)
        {
            if (storage is not ("memory" or "sqlite"))
            {
                throw new ArgumentException("--storage takes memory, sqlite or memory,sqlite.");
            }

            var result = await MeasureAsync(storage, projects).ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"{storage}: {result.PerProjectBytes / 1024:0.0} KB managed heap per idle project ({result.Waiting:N0} waiting), {result.ProcessBytes / 1024.0 / projects:0.0} KB working set per project"));
            results.Add(result);
        }

        string report = Report(args, projects, results);
        string path = options.Output("load-harness-idle.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, report).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine(report);
        Console.WriteLine($"Written to {Path.GetFullPath(path)}");
        return results.All(r => r.Problems.Count == 0) ? 0 : 1;
    }

    private static async Task<Result> MeasureAsync(string storage, int projects)
    {
        using var folder = storage == "sqlite" ? new TemporaryFolder("vic-idle") : null;
        // The previous storage's company stays reachable for up to a poll interval (a pending wait's timer).
        await Task.Delay(TimeSpan.FromSeconds(1.5)).ConfigureAwait(false);
        long before = Heap();
        long processBefore = WorkingSet();
        var company = new BenchmarkCompany(
            workers: 4,
            sqlite: folder is null ? null : new Storage.Sqlite.SqliteStorageOptions { ConnectionString = "Data Source=" + Path.Combine(folder.Path, "company.db") },
            agents: [.. ForwardAgent.ForAllRoles().Where(a => a.Role != AgentRole.ProjectManager), new AskingAgent()]);
        await using var dispose = company.ConfigureAwait(false);
        int waiting = 0;
        var problems = new List<string>();
        using var stop = new CancellationTokenSource();
        var dispatching = Task.Run(() => company.Dispatcher.RunAsync(stop.Token));
        var clock = Stopwatch.StartNew();
        long empty;
        using (var subscription = company.Feed.Subscribe())
        {
            // The running company with no project yet: what every project adds is measured from here.
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            empty = Heap();
            var brief = BenchmarkCompany.Brief(0);
            for (int i = 0; i < projects; i += 64)
            {
                await Task.WhenAll(Enumerable.Range(i, Math.Min(64, projects - i)).Select(_ => company.Company.SubmitAsync(brief))).ConfigureAwait(false);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            try
            {
                await foreach (var e in subscription.Reader.ReadAllAsync(deadline.Token).ConfigureAwait(false))
                {
                    if (e.Event is ClientInputRequested && ++waiting == projects)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                problems.Add($"Only {waiting} of {projects} projects asked their question within 5 minutes.");
            }
        }

        var elapsed = clock.Elapsed;
        // The workers stay up, idle: a host with open projects waiting for their clients.
        await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        long after = Heap();
        long processAfter = WorkingSet();
        long queued = await company.Queue.CountAsync().ConfigureAwait(false);
        if (queued != 0)
        {
            problems.Add($"{queued} items still on the queue.");
        }

        int counted = 0;
        await foreach (var snapshot in company.Store.ListAsync(ProjectStatus.WaitingForClient).ConfigureAwait(false))
        {
            counted++;
        }

        if (counted != projects)
        {
            problems.Add($"{counted} projects wait for their client (expected {projects}).");
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await dispatching.ConfigureAwait(false);
        long fileBytes = folder?.Bytes() ?? 0;
        return new Result(storage, projects, waiting, after - empty, after - before, processAfter - processBefore, fileBytes, elapsed, problems);
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static string Report(IReadOnlyList<string> args, int projects, List<Result> results)
    {
        var md = new StringBuilder();
        string I(FormattableString s) => FormattableString.Invariant(s);
        md.AppendLine("# Memory per idle project");
        md.AppendLine();
        md.AppendLine(I($"{projects:N0} projects submitted to a running company (4 workers, the default lifecycle, forward agents and the zero-latency fake model as in the load harness) whose project manager, after its one model call, asks the client a question in requirements analysis: every project ends up `WaitingForClient` with nothing on the queue, its question and events stored. With the workers still running, idle, the managed heap after a full compacting collection is compared with the same running company before the first submission; the difference divided by the projects is the cost of one idle project (target < 100 KB). The working set (managed and native, SQLite's page cache included) is given for context."));
        md.AppendLine();
        md.AppendLine("## Machine and command");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine("dotnet run -c Release --project benchmarks/VirtualItCompany.Benchmarks -- idle" + (args.Count > 0 ? " " + string.Join(' ', args) : string.Empty));
        md.AppendLine("```");
        md.AppendLine();
        foreach (var line in LoadReport.Machine())
        {
            md.AppendLine("- " + line);
        }

        md.AppendLine();
        md.AppendLine("## Results");
        md.AppendLine();
        md.AppendLine("| storage | projects waiting | managed heap per project | heap growth with the company itself, per project | working set growth per project | SQLite file per project | time to submit and park all | target met |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            md.AppendLine(I($"| {r.Storage} | {r.Waiting:N0} | {r.PerProjectBytes / 1024:0.0} KB | {r.WithCompanyBytes / 1024.0 / r.Projects:0.0} KB | {r.ProcessBytes / 1024.0 / r.Projects:0.0} KB | {(r.FileBytes == 0 ? "-" : I($"{r.FileBytes / 1024.0 / r.Projects:0.0} KB"))} | {r.Elapsed.TotalSeconds:0.0} s | {(r.PerProjectBytes < 100 * 1024 ? "yes" : "no")} |"));
        }

        var problems = results.SelectMany(r => r.Problems.Select(p => $"{r.Storage}: {p}")).ToList();
        md.AppendLine();
        md.AppendLine("## Verification");
        md.AppendLine();
        md.AppendLine(problems.Count == 0
            ? I($"In each storage all {projects:N0} projects asked their question, the store lists them all as waiting for the client, and the queue is empty.")
            : "Problems:\n\n" + string.Join('\n', problems.Select(p => "- " + p)));
        return md.ToString();
    }

    private sealed record Result(string Storage, int Projects, int Waiting, long EmptyToAfter, long WithCompanyBytes, long ProcessBytes, long FileBytes, TimeSpan Elapsed, IReadOnlyList<string> Problems)
    {
        public double PerProjectBytes => (double)EmptyToAfter / Projects;
    }

    /// <summary>A project manager that makes its one model call, then asks the client a question before it plans anything.</summary>
    private sealed class AskingAgent : IAgent
    {
        private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Read the brief.")];

        public AgentRole Role => AgentRole.ProjectManager;

        public async Task<AgentOutcome> ExecuteAsync(AgentContext context, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(context);
            await context.ChatClient.GetResponseAsync(Prompt, cancellationToken: cancellationToken).ConfigureAwait(false);
            return AgentOutcome.NeedsClientInput("Which database should the todo list live in?");
        }
    }
}
