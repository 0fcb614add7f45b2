namespace VirtualItCompany.Runtime;

/// <summary>Stamps a plan's events, folds them into the snapshot, commits both to the store and publishes the events to the live feed.</summary>
internal sealed class CommitWriter
{
    private readonly IProjectStore _store;
    private readonly ProjectEventFeed _feed;
    private readonly TimeProvider _timeProvider;

    private readonly RunningWork _running;
    private readonly IBudgetAccount? _budget;

    private readonly VirtualItCompany.Security.EventRedactor _redactor;

    // The newest version of each unfinished project this process committed: a snapshot read before is still current unless
    // this process committed since (another process's commit is found by the store's version check).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ProjectId, long> _committed = new();

    public CommitWriter(IProjectStore store, ProjectEventFeed feed, TimeProvider timeProvider, RunningWork running, IBudgetAccount? budget = null, VirtualItCompany.Security.SecretRedactor? redactor = null)
    {
        _running = running;
        _redactor = new VirtualItCompany.Security.EventRedactor(redactor ?? VirtualItCompany.Security.SecretRedactor.PatternsOnly);
        _store = store;
        _feed = feed;
        _timeProvider = timeProvider;
        _budget = budget;
        // The store applies budget operations in its commits only to its own account: it must be the company's.
        FoldsBudget = budget is not null && store is IBudgetCommitStore { BudgetAccount: { } account } && ReferenceEquals(account, budget);
    }

    /// <summary>Gets whether the store applies a commit's budget operations in the commit's transaction (<see cref="IBudgetCommitStore"/> over the company's account).</summary>
    public bool FoldsBudget { get; }

    /// <summary>How many times a decision is made again after another commit to the same project won the race.</summary>
    public const int MaxCommitAttempts = 16;

    public IProjectStore Store => _store;

    /// <summary>
    /// The one commit-retry loop: reads the project, asks <paramref name="decide"/> for the plan, commits it; when another
    /// commit to the project came first (<see cref="ConcurrencyException"/>), decides again on the fresh snapshot, up to
    /// <see cref="MaxCommitAttempts"/> times. A decision of <see langword="null"/> commits nothing.
    /// </summary>
    /// <param name="projectId">The project.</param>
    /// <param name="decide">Decides the plan on a snapshot; <see langword="null"/> commits nothing.</param>
    /// <param name="completesLease">The lease the commit settles, if any.</param>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <param name="budget">Budget operations applied with the plan.</param>
    /// <param name="known">
    /// A snapshot the caller read before (the one its work item ran on): the first decision is made on it, without reading
    /// the project again, unless this process has committed a newer version since. When another process did, the store's
    /// version check refuses the commit and the decision is made again on a fresh read, as after any lost race.
    /// </param>
    /// <returns>The project after the commit, or <see langword="null"/> when nothing was committed.</returns>
    /// <exception cref="ProjectNotFoundException">The project does not exist.</exception>
    /// <exception cref="LeaseLostException">The lease is no longer current.</exception>
    public async Task<ProjectSnapshot?> DecideAndCommitAsync(ProjectId projectId, Func<ProjectSnapshot, WorkPlan?> decide, WorkLease? completesLease, CancellationToken cancellationToken, IReadOnlyList<BudgetOperation>? budget = null, ProjectSnapshot? known = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            var project = attempt == 0 && known is not null && known.Id == projectId && IsNewest(known)
                ? known
                : await _store.GetAsync(projectId, cancellationToken).ConfigureAwait(false) ?? throw new ProjectNotFoundException(projectId);
            if (decide(project) is not { } plan)
            {
                return null;
            }

            if (budget is { Count: > 0 })
            {
                plan.Budget = [.. plan.Budget, .. budget];
            }

            try
            {
                return await CommitAsync(projectId, project, plan, completesLease, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyException) when (attempt < MaxCommitAttempts)
            {
                // Someone committed first: decide again on the fresh snapshot.
            }
        }
    }

    /// <summary>Whether this process has committed nothing newer than <paramref name="snapshot"/>.</summary>
    private bool IsNewest(ProjectSnapshot snapshot) => !_committed.TryGetValue(snapshot.Id, out long newest) || newest <= snapshot.Version;

    /// <summary>Commits a plan on top of <paramref name="current"/> (<see langword="null"/> to create the project with the plan's first event).</summary>
    public async Task<ProjectSnapshot> CommitAsync(ProjectId projectId, ProjectSnapshot? current, WorkPlan plan, WorkLease? completesLease, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        long expectedVersion = current?.Version ?? 0;
        var events = new ProjectEvent[plan.Events.Count];
        for (int i = 0; i < events.Length; i++)
        {
            events[i] = _redactor.Redact(plan.Events[i] with { ProjectId = projectId, Version = expectedVersion + i + 1, Timestamp = now });
        }

        // The runtime folds; the store keeps the snapshot as given.
        var snapshot = current ?? ProjectSnapshot.Create((ProjectCreated)events[0]);
        for (int i = current is null ? 1 : 0; i < events.Length; i++)
        {
            snapshot = snapshot.Apply(events[i]);
        }

        await _store.CommitAsync(
            new ProjectCommit(projectId, expectedVersion, events, snapshot)
            {
                Enqueue = plan.Enqueue,
                CompletesLease = completesLease,
                RetryAt = completesLease is null ? null : plan.RetryAt,
                Budget = FoldsBudget ? plan.Budget : [],
            },
            cancellationToken).ConfigureAwait(false);
        if (!FoldsBudget && plan.Budget.Count > 0 && _budget is not null)
        {
            await ApplyAsync(_budget, plan.Budget).ConfigureAwait(false);
        }

        if (snapshot.Status is ProjectStatus.Completed or ProjectStatus.Cancelled)
        {
            _committed.TryRemove(projectId, out _);
        }
        else
        {
            _committed.AddOrUpdate(projectId, static (_, mine) => mine, static (_, seen, mine) => Math.Max(seen, mine), snapshot.Version);
        }

        _feed.Publish(events);
        if (snapshot.Status == ProjectStatus.Cancelled)
        {
            // Agents still working on a cancelled project stop now rather than spend on.
            _running.CancelAll(projectId);
        }

        return snapshot;
    }

    /// <summary>Makes a committed plan's budget operations through the account, when the store cannot apply them in the commit.</summary>
    private static async Task ApplyAsync(IBudgetAccount account, IReadOnlyList<BudgetOperation> operations)
    {
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case SettleReservation settle:
                    await account.SettleAsync(new BudgetReservation(settle.ReservationId, null, settle.Cost, "commit"), settle.Cost, CancellationToken.None).ConfigureAwait(false);
                    break;
                case RaiseBudgetLimit raise:
                    await account.RaiseLimitAsync(raise.Scope, raise.Limit, CancellationToken.None).ConfigureAwait(false);
                    break;
            }
        }
    }
}
