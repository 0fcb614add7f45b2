namespace VirtualItCompany.Benchmarks.Load;

/// <summary>Passes everything to the real store and shows each committed event to an observer; no allocation of its own.</summary>
internal sealed class ObservedProjectStore(IProjectStore inner, CommitObserver observer) : IProjectStore
{
    public Task CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default)
    {
        var committing = inner.CommitAsync(commit, cancellationToken);
        // The in-memory store commits synchronously: observe without an async state machine of our own.
        return committing.IsCompletedSuccessfully ? Observed(commit, committing) : ObserveLaterAsync(commit, committing);
    }

    public ValueTask<ProjectSnapshot?> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default) => inner.GetAsync(projectId, cancellationToken);

    public IAsyncEnumerable<ProjectEvent> ReadEventsAsync(ProjectId projectId, long afterVersion = 0, CancellationToken cancellationToken = default) =>
        inner.ReadEventsAsync(projectId, afterVersion, cancellationToken);

    public IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, CancellationToken cancellationToken = default) => inner.ListAsync(status, cancellationToken);

    private async Task ObserveLaterAsync(ProjectCommit commit, Task committing)
    {
        await committing.ConfigureAwait(false);
        await Observed(commit, committing).ConfigureAwait(false);
    }

    private Task Observed(ProjectCommit commit, Task committed)
    {
        var events = commit.Events;
        for (int i = 0; i < events.Count; i++)
        {
            observer.Observe(events[i], commit.ProjectId);
        }

        return committed;
    }
}
