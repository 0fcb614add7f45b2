namespace VirtualItCompany.Runtime;

/// <summary>Commits plans to the store and publishes the committed events to the live feed.</summary>
internal sealed class CommitWriter
{
    private readonly IProjectStore _store;
    private readonly ProjectEventFeed _feed;
    private readonly TimeProvider _timeProvider;

    private readonly RunningWork _running;

    public CommitWriter(IProjectStore store, ProjectEventFeed feed, TimeProvider timeProvider, RunningWork running)
    {
        _running = running;
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
        if (snapshot.Status == ProjectStatus.Cancelled)
        {
            // Agents still working on a cancelled project stop now rather than spend on.
            _running.CancelAll(projectId);
        }

        return snapshot;
    }
}
