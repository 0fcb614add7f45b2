namespace VirtualItCompany;

/// <summary>One atomic change to a project: its new events, the work items they schedule, and the lease they complete.</summary>
/// <remarks>A store applies all of it or none of it. It refuses the commit when the project moved past <see cref="ExpectedVersion"/>
/// (<see cref="ConcurrencyException"/>) or when <see cref="CompletesLease"/> is no longer the item's current lease (<see cref="LeaseLostException"/>).</remarks>
/// <param name="ProjectId">The project.</param>
/// <param name="ExpectedVersion">The version the events follow; 0 to create the project (the first event must then be <see cref="ProjectCreated"/>).</param>
/// <param name="Events">The events, in order; the store stamps their project id and versions, and their timestamps when unset.</param>
public sealed record ProjectCommit(ProjectId ProjectId, long ExpectedVersion, IReadOnlyList<ProjectEvent> Events)
{
    /// <summary>Gets the work items to put on the queue.</summary>
    public IReadOnlyList<WorkItem> Enqueue { get; init; } = [];

    /// <summary>Gets the lease whose item this commit completes (removes from the queue), or <see langword="null"/>.</summary>
    public WorkLease? CompletesLease { get; init; }
}
