namespace VirtualItCompany;

/// <summary>
/// One atomic change to a project, fully decided by the runtime: its new events (already stamped), the snapshot they
/// fold to, the work items they schedule, the lease they settle and the messages for deliveries that live elsewhere.
/// </summary>
/// <remarks>
/// A store adds no meaning: it checks <see cref="ExpectedVersion"/> and the lease's fencing token, then writes all of it
/// or none of it. Call <see cref="GetProblems"/> (or <see cref="Validate"/>) to refuse a malformed commit before writing.
/// </remarks>
/// <param name="ProjectId">The project.</param>
/// <param name="ExpectedVersion">The project's version the events follow; 0 to create the project (the first event is then a <see cref="ProjectCreated"/>).</param>
/// <param name="Events">The events, in order, stamped with <paramref name="ProjectId"/>, the versions <c>ExpectedVersion + 1</c>... and a timestamp; may be empty when the commit only settles a lease.</param>
/// <param name="Snapshot">The project after the events: the runtime's fold, stored as it is so that readers never replay; its version is <c>ExpectedVersion + Events.Count</c>.</param>
public sealed record ProjectCommit(ProjectId ProjectId, long ExpectedVersion, IReadOnlyList<ProjectEvent> Events, ProjectSnapshot Snapshot)
{
    /// <summary>Gets the work items to put on the queue. An item whose id is already on the queue (waiting or leased) is left as it is.</summary>
    public IReadOnlyList<WorkItem> Enqueue { get; init; } = [];

    /// <summary>Gets the lease that fences the commit and whose item it settles, or <see langword="null"/> (a client action).</summary>
    /// <remarks>By default the leased item leaves the queue; with <see cref="RetryAt"/> it goes back on it.</remarks>
    public WorkLease? CompletesLease { get; init; }

    /// <summary>Gets when the leased item may be leased again, to retry it; <see langword="null"/> removes it from the queue.</summary>
    /// <remarks>A retried item keeps its id and its count of attempts (<see cref="WorkLease.Attempt"/>).</remarks>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>Gets the messages for deliveries that live outside the store (a Redis stream, webhooks), written in the same transaction; see <see cref="IOutbox"/>.</summary>
    public IReadOnlyList<OutboxMessage> Outbox { get; init; } = [];

    /// <summary>
    /// Gets the budget operations to apply in the commit's transaction (settlements of journaled calls, limit raises); only a
    /// store that implements <see cref="IBudgetCommitStore"/> with an account accepts a commit that carries some.
    /// </summary>
    public IReadOnlyList<BudgetOperation> Budget { get; init; } = [];

    /// <summary>Lists what is wrong with the commit's shape, every problem at once (empty when it is well formed).</summary>
    /// <returns>The problems, each a sentence.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (ProjectId.Value.Length == 0)
        {
            problems.Add("The commit names no project.");
        }

        if (ExpectedVersion < 0)
        {
            problems.Add($"ExpectedVersion is {ExpectedVersion}; it must be 0 (create) or more.");
        }

        if (Events is null || Snapshot is null || Enqueue is null || Outbox is null || Budget is null)
        {
            problems.Add("Events, Snapshot, Enqueue, Outbox and Budget must not be null.");
            return problems;
        }

        if (ExpectedVersion == 0 && (Events.Count == 0 || Events[0] is not ProjectCreated))
        {
            problems.Add("A commit that creates a project (ExpectedVersion 0) must start with a ProjectCreated event.");
        }

        for (int i = 0; i < Events.Count; i++)
        {
            var e = Events[i];
            if (e is null)
            {
                problems.Add($"Events[{i}] is null.");
                continue;
            }

            if (e.ProjectId != ProjectId || e.Version != ExpectedVersion + i + 1 || e.Timestamp == default)
            {
                problems.Add($"Events[{i}] ({e.GetType().Name}) is stamped project '{e.ProjectId}', version {e.Version}, time {e.Timestamp:O}; the runtime must stamp it project '{ProjectId}', version {ExpectedVersion + i + 1} and a time.");
            }

            if (i > 0 && e is ProjectCreated)
            {
                problems.Add($"Events[{i}] is a ProjectCreated event; only the first event of a project may be.");
            }
        }

        if (Snapshot.Id != ProjectId || Snapshot.Version != ExpectedVersion + Events.Count)
        {
            problems.Add($"The snapshot is of project '{Snapshot.Id}' at version {Snapshot.Version}; it must be of '{ProjectId}' at version {ExpectedVersion + Events.Count}.");
        }

        foreach (var item in Enqueue)
        {
            if (item is null || item.ProjectId != ProjectId)
            {
                problems.Add($"Work item '{item?.Id}' to enqueue belongs to project '{item?.ProjectId}', not '{ProjectId}'.");
            }
        }

        if (CompletesLease is { } lease && lease.Item.ProjectId != ProjectId)
        {
            problems.Add($"The lease on '{lease.Item.Id}' belongs to project '{lease.Item.ProjectId}', not '{ProjectId}'.");
        }

        for (int i = 0; i < Budget.Count; i++)
        {
            if (Budget[i] is not { } operation)
            {
                problems.Add($"Budget[{i}] is null.");
                continue;
            }

            problems.AddRange(operation.GetProblems());
        }

        if (RetryAt is not null && CompletesLease is null)
        {
            problems.Add("RetryAt is set but the commit settles no lease.");
        }

        return problems;
    }

    /// <summary>Throws when the commit is malformed (see <see cref="GetProblems"/>).</summary>
    /// <exception cref="ArgumentException">The commit has problems; all are listed.</exception>
    public void Validate()
    {
        var problems = GetProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The commit is malformed: " + string.Join(" ", problems), "commit");
        }
    }
}
