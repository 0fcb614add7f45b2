namespace VirtualItCompany.Benchmarks.Load;

/// <summary>The <c>load</c> verb: runs every scenario, then the breakdown, prints a line per run and writes the markdown report.</summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = LoadOptions.Parse(args);
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
        var duration = TimeSpan.FromSeconds(options.Seconds);
        var runs = new List<LoadResult>();
        foreach (var storage in options.StorageList)
        {
            foreach (int inFlight in options.InFlight)
            {
                foreach (int workers in options.WorkersFor(storage))
                {
                    runs.Add(await RunAsync(new LoadScenario(inFlight, workers, options.Features, Storage: storage)).ConfigureAwait(false));
                }
            }
        }

        var breakdown = new List<LoadResult>();
        LoadResult? profile = null;
        var memoryRuns = runs.Where(r => !r.Scenario.Store.IsSqlite).ToList();
        if (options.Breakdown && memoryRuns.Count > 0)
        {
            // The most loaded in-memory scenario at its best worker count, with parts taken away one at a time.
            var best = memoryRuns.Where(r => r.Scenario.InFlight == options.InFlight.Max()).MaxBy(r => r.ItemsPerSecond)!.Scenario;
            breakdown.Add(runs.First(r => r.Scenario == best));
            foreach (var variant in new[] { best with { Feed = false }, best with { ModelCall = false }, best with { Feed = false, ModelCall = false } })
            {
                breakdown.Add(await RunAsync(variant).ConfigureAwait(false));
            }

            profile = await RunAsync(best with { ProfileAllocations = true }).ConfigureAwait(false);
        }

        // Microsoft Agent Framework Workflows under the same load, in the same process and session.
        var maf = new List<MafResult>();
        if (options.Maf)
        {
            foreach (int inFlight in options.InFlight)
            {
                foreach (var checkpointing in new[] { MafCheckpointing.None, MafCheckpointing.Memory, MafCheckpointing.JsonFiles })
                {
                    maf.Add(await RunMafAsync(new MafScenario(inFlight, checkpointing)).ConfigureAwait(false));
                }
            }
        }

        string report = LoadReport.Format(options, args, runs, breakdown, profile, maf);
        string path = options.Output ?? DefaultOutput();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, report).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine(report);
        Console.WriteLine($"Written to {Path.GetFullPath(path)}");
        return runs.Concat(breakdown).All(r => r.Verified) && maf.All(r => r.Verified) ? 0 : 1;

        async Task<MafResult> RunMafAsync(MafScenario scenario)
        {
            var repeats = new List<MafResult>();
            for (int i = 0; i < options.Repeat; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var run = await MafHarness.RunAsync(scenario, warmup, duration).ConfigureAwait(false);
                Console.WriteLine(LoadReport.Line(run));
                repeats.Add(run);
            }

            var ordered = repeats.OrderBy(r => r.StepsPerSecond).ToList();
            return ordered[ordered.Count / 2] with { Repeats = ordered, Problems = [.. repeats.SelectMany(r => r.Problems)] };
        }

        // Runs on a shared 2-core VM vary by tens of percent: each scenario runs several times and the median run (by items/s) stands for it.
        async Task<LoadResult> RunAsync(LoadScenario scenario)
        {
            var repeats = new List<LoadResult>();
            for (int i = 0; i < (scenario.ProfileAllocations ? 1 : options.Repeat); i++)
            {
                // Each run starts from a collected heap, so the previous run's projects are not its garbage.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var run = await LoadHarness.RunAsync(scenario, warmup, duration, options.MaxProjects).ConfigureAwait(false);
                Console.WriteLine(LoadReport.Line(run));
                repeats.Add(run);
            }

            var ordered = repeats.OrderBy(r => r.ItemsPerSecond).ToList();
            return ordered[ordered.Count / 2] with { Repeats = ordered, Problems = [.. repeats.SelectMany(r => r.Problems)] };
        }
    }

    // benchmarks/results/load-harness.md of the repository the command runs in.
    private static string DefaultOutput()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualItCompany.sln")))
            {
                return Path.Combine(dir.FullName, "benchmarks", "results", "load-harness.md");
            }
        }

        return Path.Combine("benchmarks", "results", "load-harness.md");
    }
}
