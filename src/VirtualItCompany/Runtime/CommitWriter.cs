namespace VirtualItCompany.Runtime;

/// <summary>Commits plans to the store and publishes the committed events to the live feed.</summary>
internal sealed class CommitWriter
{
    private readonly IProjectStore _store;
    private readonly ProjectEventFeed _feed;
    private readonly TimeProvider _timeProvider;

    public CommitWriter(IProjectStore store, ProjectEventFeed feed, TimeProvider timeProvider)
    {
        _store = store;
        _feed = feed;
        _timeProvider = timeProvider;
    }

    public IProjectStore Store => _store;

    public async Task<ProjectSnapshot> CommitAsync(ProjectId projectId, long expectedVersion, WorkPlan plan, WorkLease? completesLease, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var events = new ProjectEvent[plan.Events.Count];
        for (int i = 0; i < events.Length; i++)
        {
            events[i] = plan.Events[i] with { ProjectId = projectId, Version = expectedVersion + i + 1, Timestamp = now };
        }

        var snapshot = await _store.CommitAsync(new ProjectCommit(projectId, expectedVersion, events) { Enqueue = plan.Enqueue, CompletesLease = completesLease }, cancellationToken).ConfigureAwait(false);
        _feed.Publish(events);
        return snapshot;
    }
}
