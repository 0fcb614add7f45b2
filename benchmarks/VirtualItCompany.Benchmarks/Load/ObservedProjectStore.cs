namespace VirtualItCompany.Benchmarks.Load;

/// <summary>Passes everything to the real store and shows each committed event to an observer; no allocation of its own.</summary>
internal sealed class ObservedProjectStore(IProjectStore inner, CommitObserver observer) : IProjectStore
{
    public Task<ProjectSnapshot> CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default)
    {
        var committing = inner.CommitAsync(commit, cancellationToken);
        // The in-memory store commits synchronously: observe without an async state machine of our own.
        return committing.IsCompletedSuccessfully ? Observed(commit, committing) : ObserveLaterAsync(commit, committing);
    }

    public ValueTask<ProjectSnapshot?> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default) => inner.GetAsync(projectId, cancellationToken);

    public IAsyncEnumerable<ProjectEvent> ReadEventsAsync(ProjectId projectId, long afterVersion = 0, CancellationToken cancellationToken = default) =>
        inner.ReadEventsAsync(projectId, afterVersion, cancellationToken);

    public IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, CancellationToken cancellationToken = default) => inner.ListAsync(status, cancellationToken);

    private async Task<ProjectSnapshot> ObserveLaterAsync(ProjectCommit commit, Task<ProjectSnapshot> committing)
    {
        await committing.ConfigureAwait(false);
        return await Observed(commit, committing).ConfigureAwait(false);
    }

    private Task<ProjectSnapshot> Observed(ProjectCommit commit, Task<ProjectSnapshot> committed)
    {
        var events = commit.Events;
        for (int i = 0; i < events.Count; i++)
        {
            observer.Observe(events[i], commit.ProjectId);
        }

        return committed;
    }
}
