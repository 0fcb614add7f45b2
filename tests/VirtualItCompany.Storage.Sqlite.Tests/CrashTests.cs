using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>
/// The crash test: a worker over SQLite delivers 20 projects on the (priced) offline model while it is killed with SIGKILL at
/// random points (seeded; the seed is printed) and started again; then nothing is lost and nothing repeated, compared with
/// an uninterrupted run of the same briefs. <c>VIC_CRASH_SEED</c>, <c>VIC_CRASH_KILLS</c> and <c>VIC_CRASH_PROJECTS</c>
/// override the seed, the 30 kills and the 20 projects (a longer soak: more kills and projects).
/// </summary>
public sealed class CrashTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(Setting("VIC_CRASH_RUN_MINUTES", 5));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_worker_killed_at_random_points_loses_nothing_and_repeats_nothing()
    {
        int seed = Setting("VIC_CRASH_SEED", Random.Shared.Next());
        int kills = Setting("VIC_CRASH_KILLS", 30);
        int projects = Setting("VIC_CRASH_PROJECTS", 20);
        TestContext.Current.TestOutputHelper?.WriteLine($"crash test: seed {seed}, {kills} kills, {projects} projects (set VIC_CRASH_SEED={seed} to repeat it)");
        string root = Directory.CreateTempSubdirectory("vic-crash-").FullName;
        try
        {
            var baseline = new Run(Path.Combine(root, "baseline.db"), Path.Combine(root, "baseline-ws"));
            var crashed = new Run(Path.Combine(root, "crashed.db"), Path.Combine(root, "crashed-ws"));
            Assert.Equal(0, await RunWorkerAsync(baseline, projects, killAfter: null));

            var random = new Random(seed);
            int killed = 0;
            for (int i = 0; i < kills; i++)
            {
                var after = TimeSpan.FromMilliseconds(random.Next(300, 2_500));
                int exit = await RunWorkerAsync(crashed, projects, after);
                if (exit == 0)
                {
                    break; // everything ended before this kill point
                }

                Assert.Equal(137, exit); // killed, not failed
                killed++;
            }

            Assert.Equal(0, await RunWorkerAsync(crashed, projects, killAfter: null));
            TestContext.Current.TestOutputHelper?.WriteLine($"killed {killed} time(s)");
            Assert.True(killed >= Math.Min(kills, 10), $"Only {killed} kill(s) landed before the run ended; the test proves little.");

            var expected = await baseline.ReadAsync();
            var actual = await crashed.ReadAsync();
            Assert.Equal(projects, expected.Count);
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            (int Completed, int Replayed, int Abandoned, int Baseline) totals = default;
            foreach (var (title, want) in expected)
            {
                var got = actual[title];
                Assert.Equal(ProjectStatus.Completed, got.Snapshot.Status);

                // Every effect once: the same work items completed, each once; the same stages, files, reviews, tests and deployments.
                var completed = got.Events.OfType<WorkItemCompleted>().Select(e => e.WorkItemId).ToList();
                Assert.Equal(completed.Count, completed.Distinct().Count());
                foreach (var kind in new[] { typeof(WorkItemCompleted), typeof(StageChanged), typeof(FilesChanged), typeof(CodeReviewed), typeof(TestsRun), typeof(Deployed), typeof(RequirementsCaptured), typeof(PlanCreated), typeof(ProjectCompleted) })
                {
                    Assert.True(want.Events.Count(kind.IsInstanceOfType) == got.Events.Count(kind.IsInstanceOfType), $"{title}: {kind.Name} {got.Events.Count(kind.IsInstanceOfType)} times, uninterrupted {want.Events.Count(kind.IsInstanceOfType)}.");
                }

                // One git commit per completed work item that saved work, never two.
                Assert.True(got.CommitTrailers.Count == got.CommitTrailers.Distinct().Count(), $"{title}: a work item committed twice:\n{string.Join("\n", got.Subjects)}\n{string.Join("\n", got.CommitTrailers)}");
                Assert.True(want.CommitTrailers.Count == got.CommitTrailers.Count, $"{title}: {got.CommitTrailers.Count} work-item commits, uninterrupted {want.CommitTrailers.Count}.\n{string.Join("\n", got.Subjects)}\n-- uninterrupted:\n{string.Join("\n", want.Subjects)}");

                // Money: the store's spend is the sum of the charge events; a call is charged again only when a kill cut it off before it was journaled (then its reservation is charged as abandoned).
                var charges = got.Events.OfType<ModelCallCompleted>().ToList();
                Assert.True(got.Spent == charges.Sum(c => c.Cost), $"{title}: spent {got.Spent}, charge events {charges.Sum(c => c.Cost)}: {string.Join(", ", charges.Select(c => $"{c.WorkItemId[^6..]}:{c.Outcome}:{c.Cost}"))}; failures: {string.Join(" | ", got.Events.OfType<WorkItemFailed>().Select(f => f.Reason))}");
                Assert.Equal(want.Spent, want.Events.OfType<ModelCallCompleted>().Sum(c => c.Cost));
                // No call is charged twice: a call's charge (its item, tokens, cost and measured duration) appears once. A try after a
                // kill answers from the journal the calls it asks again; a call whose request changed (the killed try's files are
                // now in the workspace it describes) is a new call and is charged as one.
                var duplicates = charges.Where(c => c.Outcome == ModelChargeKind.Completed)
                    .GroupBy(c => (c.WorkItemId, c.InputTokens, c.OutputTokens, c.Cost, c.Duration)).Where(g => g.Count() > 1).ToList();
                Assert.True(duplicates.Count == 0, $"{title}: charged twice: {string.Join(", ", duplicates.Select(d => d.Key))}");
                totals = (totals.Completed + charges.Count(c => c.Outcome == ModelChargeKind.Completed), totals.Replayed + charges.Count(c => c.Outcome == ModelChargeKind.Replayed),
                    totals.Abandoned + charges.Count(c => c.Outcome == ModelChargeKind.Abandoned), totals.Baseline + want.Events.OfType<ModelCallCompleted>().Count(c => c.Outcome == ModelChargeKind.Completed));
                Assert.All(charges.Where(c => c.Outcome == ModelChargeKind.Replayed), c => Assert.Equal(0m, c.Cost));

                // The delivered workspace is the uninterrupted run's.
                var differing = want.Files.Keys.Union(got.Files.Keys)
                    .Where(path => !want.Files.TryGetValue(path, out var a) || !got.Files.TryGetValue(path, out var b) || a != b)
                    .Select(path => $"{path}: {(want.Files.ContainsKey(path) ? "" : "not in the uninterrupted run")}{(got.Files.ContainsKey(path) ? "" : "missing")}")
                    .ToList();
                Assert.True(differing.Count == 0, $"{title}: delivered files differ from the uninterrupted run's: {string.Join("; ", differing)}");
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"model calls: {totals.Baseline} uninterrupted; {totals.Completed} charged, {totals.Replayed} answered from the journal, {totals.Abandoned} cut off by a kill and charged at their reservation");
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("VIC_CRASH_KEEP") is null)
            {
                TryDelete(root);
            }
            else
            {
                TestContext.Current.TestOutputHelper?.WriteLine("kept: " + root);
            }
        }
    }

    private static async Task<int> RunWorkerAsync(Run run, int projects, TimeSpan? killAfter)
    {
        // In a session of its own, so the kill takes the worker and every child it started (git) at once, as a crash of the machine does.
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "dotnet", WorkerPath(), "--db", run.Database, "--workspaces", run.Workspaces, "--projects", projects.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(killAfter ?? RunLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // SIGKILL to the whole process group: no shutdown code runs, and no child outlives the worker.
            using (var kill = Process.Start("kill", ["-KILL", "--", "-" + process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(Ct);
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
            if (killAfter is null)
            {
                Assert.Fail($"The worker did not finish within {RunLimit}: {await output} {await errors}");
            }

            return 137;
        }

        string error = await errors;
        if (process.ExitCode != 0)
        {
            Assert.Fail($"The worker failed with exit code {process.ExitCode}: {await output}\n{error}");
        }

        return 0;
    }

    private static string WorkerPath()
    {
        // tests/VirtualItCompany.Storage.Sqlite.Tests/bin/<configuration>/<tfm>/ -> tests/VirtualItCompany.CrashWorker/bin/<configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = here.Name, configuration = here.Parent!.Name;
        string path = Path.Combine(here.Parent.Parent!.Parent!.Parent!.FullName, "VirtualItCompany.CrashWorker", "bin", configuration, tfm, "VirtualItCompany.CrashWorker.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The crash worker is not built; build tests/VirtualItCompany.CrashWorker.", path);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : fallback;

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record Delivered(ProjectSnapshot Snapshot, List<ProjectEvent> Events, decimal Spent, List<string> CommitTrailers, List<string> Subjects, SortedDictionary<string, string> Files);

    private sealed record Run(string Database, string Workspaces)
    {
        /// <summary>Reads every project of the run from its database and workspace folder, by title.</summary>
        public async Task<Dictionary<string, Delivered>> ReadAsync()
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddVirtualItCompany().UseSqliteStorage("Data Source=" + Database);
            using var host = builder.Build();
            var store = host.Services.GetRequiredService<IProjectStore>();
            var budget = host.Services.GetRequiredService<IBudgetAccount>();
            var found = new Dictionary<string, Delivered>(StringComparer.Ordinal);
            await foreach (var project in store.ListAsync(cancellationToken: Ct))
            {
                var events = await store.ReadEventsAsync(project.Id, cancellationToken: Ct).ToListAsync(Ct);
                var spent = (await budget.GetBalanceAsync(BudgetScope.ForProject(project.Id), Ct)).Spent;
                string folder = Path.Combine(Workspaces, project.Id.Value);
                var log = await GitLogAsync(folder, "--format=%B");
                found.Add(project.Brief.Title, new Delivered(project, events, spent, [.. log.Split('\n').Where(l => l.StartsWith("Work-Item: ", StringComparison.Ordinal))], [.. (await GitLogAsync(folder, "--format=%s")).Split('\n', StringSplitOptions.RemoveEmptyEntries)], FilesOf(folder)));
            }

            return found;
        }

        private static async Task<string> GitLogAsync(string folder, string format)
        {
            var git = new ProcessStartInfo("git") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-C", folder, "log", format })
            {
                git.ArgumentList.Add(arg);
            }

            using var process = Process.Start(git)!;
            string log = await process.StandardOutput.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            return log;
        }

        private static SortedDictionary<string, string> FilesOf(string folder)
        {
            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
                if (!relative.StartsWith(".git/", StringComparison.Ordinal))
                {
                    files.Add(relative, File.ReadAllText(file));
                }
            }

            return files;
        }
    }
}
