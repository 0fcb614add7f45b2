namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>Builds well-formed commits as the runtime does: events stamped with the project, the next versions and a time, and the snapshot folded with <see cref="ProjectSnapshot.Apply"/>.</summary>
/// <remarks>Each method takes the snapshot the commit follows (the previous commit's <see cref="ProjectCommit.Snapshot"/>), so a test chains commits without reading the store.</remarks>
public static class ProjectCommits
{
    /// <summary>The stage a test project starts in.</summary>
    public static LifecycleStage InitialStage => LifecycleStage.RequirementsAnalysis;

    /// <summary>Creates a work item of a project.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="role">The role that does it.</param>
    /// <param name="at">When it is scheduled.</param>
    /// <param name="subject">What it is about, or <see langword="null"/>.</param>
    /// <returns>The item, with a new id.</returns>
    public static WorkItem Item(ProjectId projectId, AgentRole role, DateTimeOffset at, string? subject = null) =>
        WorkItem.Create(projectId, role, InitialStage, 1, at, subject);

    /// <summary>Builds the commit that creates a project and schedules work items.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="at">When the commit happens.</param>
    /// <param name="schedule">The items to schedule and enqueue, in order.</param>
    /// <returns>The commit at expected version 0.</returns>
    public static ProjectCommit Create(ProjectId projectId, DateTimeOffset at, params IReadOnlyList<WorkItem> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var brief = new ProjectBrief { Title = "Conformance " + projectId, Description = "A project of the storage conformance suites.", Budget = 10m };
        var created = Stamp(new ProjectCreated(brief, InitialStage), projectId, 1, at);
        var snapshot = ProjectSnapshot.Create(created);
        var commit = Next(snapshot, at, [.. schedule.Select(i => new WorkItemScheduled(i))]);
        return commit with { ExpectedVersion = 0, Events = [created, .. commit.Events], Enqueue = schedule };
    }

    /// <summary>Builds a commit that appends events to a project.</summary>
    /// <param name="after">The snapshot the commit follows.</param>
    /// <param name="at">When the commit happens.</param>
    /// <param name="events">The events, unstamped.</param>
    /// <returns>The commit at expected version <c>after.Version</c>.</returns>
    public static ProjectCommit Next(ProjectSnapshot after, DateTimeOffset at, params IReadOnlyList<ProjectEvent> events)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(events);
        var stamped = new List<ProjectEvent>(events.Count);
        var snapshot = after;
        foreach (var e in events)
        {
            var s = Stamp(e, after.Id, snapshot.Version + 1, at);
            stamped.Add(s);
            snapshot = snapshot.Apply(s);
        }

        return new ProjectCommit(after.Id, after.Version, stamped, snapshot);
    }

    /// <summary>Builds a commit that schedules and enqueues work items.</summary>
    /// <param name="after">The snapshot the commit follows.</param>
    /// <param name="at">When the commit happens.</param>
    /// <param name="items">The items.</param>
    /// <returns>The commit.</returns>
    public static ProjectCommit Schedule(ProjectSnapshot after, DateTimeOffset at, params IReadOnlyList<WorkItem> items) =>
        Next(after, at, [.. items.Select(i => new WorkItemScheduled(i))]) with { Enqueue = items };

    /// <summary>Builds a commit that records a leased item as done and removes it from the queue.</summary>
    /// <param name="after">The snapshot the commit follows.</param>
    /// <param name="lease">The lease the commit settles.</param>
    /// <param name="at">When the commit happens.</param>
    /// <returns>The commit.</returns>
    public static ProjectCommit Complete(ProjectSnapshot after, WorkLease lease, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var item = lease.Item;
        return Next(after, at, new WorkItemCompleted(item.Id, item.Role, item.Stage, "done", TimeSpan.FromSeconds(1))) with { CompletesLease = lease };
    }

    /// <summary>Builds a commit that records a failed try of a leased item and puts the item back on the queue from a time.</summary>
    /// <param name="after">The snapshot the commit follows.</param>
    /// <param name="lease">The lease the commit settles.</param>
    /// <param name="at">When the commit happens.</param>
    /// <param name="retryAt">When the item may be leased again.</param>
    /// <returns>The commit.</returns>
    public static ProjectCommit Retry(ProjectSnapshot after, WorkLease lease, DateTimeOffset at, DateTimeOffset retryAt)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var item = lease.Item;
        return Next(after, at, new WorkItemFailed(item.Id, item.Role, item.Stage, "transient failure", lease.Attempt, WillRetry: true)) with { CompletesLease = lease, RetryAt = retryAt };
    }

    /// <summary>Builds a commit that parks a leased item: it leaves the queue and the snapshot lists it as parked.</summary>
    /// <param name="after">The snapshot the commit follows.</param>
    /// <param name="lease">The lease the commit settles.</param>
    /// <param name="at">When the commit happens.</param>
    /// <returns>The commit.</returns>
    public static ProjectCommit Park(ProjectSnapshot after, WorkLease lease, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return Next(after, at, new WorkItemParked(lease.Item, "waiting for budget")) with { CompletesLease = lease };
    }

    private static ProjectEvent Stamp(ProjectEvent e, ProjectId projectId, long version, DateTimeOffset at) =>
        e with { ProjectId = projectId, Version = version, Timestamp = at };

    private static ProjectCreated Stamp(ProjectCreated e, ProjectId projectId, long version, DateTimeOffset at) =>
        e with { ProjectId = projectId, Version = version, Timestamp = at };
}
