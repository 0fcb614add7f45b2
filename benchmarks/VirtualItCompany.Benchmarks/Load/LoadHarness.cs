using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;

namespace VirtualItCompany.Benchmarks.Load;

/// <summary>Pushes many projects through the in-memory runtime and measures committed work items per second and bytes allocated per item.</summary>
/// <remarks>
/// The real dispatcher, orchestrator, in-memory store and lifecycle engine, with forward agents and the zero-latency fake model.
/// A fixed number of projects is kept in flight: a new one is submitted whenever one completes. Counting starts after the warm-up
/// and stops at the end of the window; then submission stops, the projects in flight are drained, and every project is verified.
/// </remarks>
internal static class LoadHarness
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task<LoadResult> RunAsync(LoadScenario scenario, TimeSpan warmup, TimeSpan duration, int maxProjects)
    {
        // The previous run's company stays reachable for up to a poll interval (a pending wait's timer); let that pass before taking the baseline.
        await Task.Delay(TimeSpan.FromSeconds(1.5)).ConfigureAwait(false);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var observer = new CommitObserver();
        // SQLite: a fresh file in a folder of its own, removed after the run.
        using var folder = scenario.Store.IsSqlite ? new TemporaryFolder("vic-load") : null;
        var sqlite = folder is null ? null : new Storage.Sqlite.SqliteStorageOptions
        {
            ConnectionString = "Data Source=" + Path.Combine(folder.Path, "company.db"),
            Synchronous = scenario.Store.Synchronous,
            MaxBatchSize = scenario.Store.MaxBatchSize,
            PageSize = scenario.Store.PageSize,
        };
        if (!scenario.Feed && sqlite is not null)
        {
            throw new ArgumentException("The store decorator (no feed subscriber) is for the in-memory store only.", nameof(scenario));
        }

        var company = new BenchmarkCompany(
            scenario.Workers,
            scenario.Features,
            scenario.ModelCall,
            scenario.Feed ? null : sp => new ObservedProjectStore(sp.GetRequiredService<Storage.InMemoryCompanyStore>(), observer),
            sqlite);
        await using var disposeCompany = company.ConfigureAwait(false);
        using var subscription = scenario.Feed ? company.Feed.Subscribe() : null;
        var reading = subscription is null ? Task.CompletedTask : Task.Run(() => observer.ReadAsync(subscription));
        using var sampler = scenario.ProfileAllocations ? new AllocationSampler() : null;

        using var stop = new CancellationTokenSource();
        var dispatching = Task.Run(() => company.Dispatcher.RunAsync(stop.Token));
        // A hung run must still end: the whole run is bounded.
        using var deadline = new CancellationTokenSource(warmup + duration + DrainTimeout);

        var submitted = new List<ProjectId>(Math.Min(maxProjects, 1 << 16));
        var brief = BenchmarkCompany.Brief(0);
        async Task SubmitAsync()
        {
            var project = await company.Company.SubmitAsync(brief, deadline.Token).ConfigureAwait(false);
            submitted.Add(project.Id);
        }

        var problems = new List<string>();
        var clock = Stopwatch.StartNew();
        int inFlight = 0;
        for (; inFlight < scenario.InFlight && submitted.Count < maxProjects; inFlight++)
        {
            await SubmitAsync().ConfigureAwait(false);
        }

        Sample? start = null;
        Sample? end = null;
        var storeStart = default(Storage.Sqlite.SqliteStatistics.Snapshot);
        var storeEnd = default(Storage.Sqlite.SqliteStatistics.Snapshot);
        try
        {
            await foreach (var _ in observer.Completed.Reader.ReadAllAsync(deadline.Token).ConfigureAwait(false))
            {
                inFlight--;
                if (start is null && clock.Elapsed >= warmup)
                {
                    start = Sample.Take(observer);
                    storeStart = Storage.Sqlite.SqliteStatistics.Take();
                    sampler?.Start();
                }
                else if (start is not null && end is null && (clock.Elapsed >= warmup + duration || submitted.Count >= maxProjects))
                {
                    sampler?.Stop();
                    end = Sample.Take(observer);
                    storeEnd = Storage.Sqlite.SqliteStatistics.Take();
                }

                if (end is null && submitted.Count < maxProjects)
                {
                    await SubmitAsync().ConfigureAwait(false);
                    inFlight++;
                }

                if (inFlight == 0)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            problems.Add($"The run did not finish in time: {inFlight} projects still in flight {clock.Elapsed.TotalSeconds:0.0} s after the start.");
        }

        if (end is null)
        {
            end = Sample.Take(observer);
            storeEnd = Storage.Sqlite.SqliteStatistics.Take();
        }

        if (start is null)
        {
            start = end;
            storeStart = storeEnd;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await dispatching.ConfigureAwait(false);
        subscription?.Dispose();
        await reading.ConfigureAwait(false);

        int verified = await VerifyAsync(company, scenario, submitted, observer, problems).ConfigureAwait(false);
        // What the company still holds (the store's projects and events, queue bookkeeping, workspaces) after a full collection.
        long retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        long fileBytes = folder?.Bytes() ?? 0;
        return new LoadResult(
            scenario,
            end.Elapsed - start.Elapsed,
            end.Items - start.Items,
            end.Projects - start.Projects,
            end.Allocated - start.Allocated,
            end.Cpu - start.Cpu,
            end.GcPause - start.GcPause,
            end.Gen0 - start.Gen0,
            end.Gen1 - start.Gen1,
            end.Gen2 - start.Gen2,
            verified,
            problems,
            observer.Items == 0 ? double.NaN : (double)retained / observer.Items,
            sampler?.TopTypes(30) ?? [])
        {
            FileBytesPerItem = observer.Items == 0 || folder is null ? double.NaN : (double)fileBytes / observer.Items,
            StoreProfile = folder is null ? null : (storeEnd - storeStart).PerItem(end.Items - start.Items),
        };
    }

    /// <summary>Checks every submitted project: completed, nothing outstanding, exactly the expected items, one model call each, no failures.</summary>
    private static async Task<int> VerifyAsync(BenchmarkCompany company, LoadScenario scenario, List<ProjectId> submitted, CommitObserver observer, List<string> problems)
    {
        int expected = BenchmarkCompany.ItemsFor(scenario.Features);
        int verified = 0;
        long items = 0;
        foreach (var id in submitted)
        {
            var project = await company.Store.GetAsync(id).ConfigureAwait(false);
            int completed = 0;
            int failed = 0;
            await foreach (var e in company.Store.ReadEventsAsync(id).ConfigureAwait(false))
            {
                completed += e is WorkItemCompleted ? 1 : 0;
                failed += e is WorkItemFailed ? 1 : 0;
            }

            items += completed;
            var wrong = new List<string>();
            if (project is null)
            {
                wrong.Add("not found");
            }
            else
            {
                if (project.Status != ProjectStatus.Completed || project.Stage != LifecycleStage.Completed)
                {
                    wrong.Add($"{project.Status} in {project.Stage}");
                }

                if (!project.OutstandingWork.IsEmpty)
                {
                    wrong.Add($"{project.OutstandingWork.Count} items outstanding");
                }

                if (project.ModelCalls != (scenario.ModelCall ? expected : 0))
                {
                    wrong.Add($"{project.ModelCalls} model calls");
                }
            }

            if (completed != expected || failed != 0)
            {
                wrong.Add($"{completed} items completed (expected {expected}), {failed} failed");
            }

            if (wrong.Count == 0)
            {
                verified++;
            }
            else if (problems.Count < 10)
            {
                problems.Add($"Project {id}: {string.Join("; ", wrong)}.");
            }
        }

        if (observer.Items != items || observer.Projects != submitted.Count)
        {
            problems.Add($"The observer counted {observer.Items} items and {observer.Projects} completed projects; the store holds {items} items of {submitted.Count} projects.");
        }

        if (company.Model.Calls != (scenario.ModelCall ? items : 0))
        {
            problems.Add($"The fake model was called {company.Model.Calls} times for {items} items.");
        }

        return verified;
    }

    private sealed record Sample(TimeSpan Elapsed, long Items, long Projects, long Allocated, TimeSpan Cpu, TimeSpan GcPause, int Gen0, int Gen1, int Gen2)
    {
        private static readonly Stopwatch Clock = Stopwatch.StartNew();

        public static Sample Take(CommitObserver observer) => new(
            Clock.Elapsed,
            observer.Items,
            observer.Projects,
            GC.GetTotalAllocatedBytes(precise: true),
            Process.GetCurrentProcess().TotalProcessorTime,
            GC.GetTotalPauseDuration(),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2));
    }
}
