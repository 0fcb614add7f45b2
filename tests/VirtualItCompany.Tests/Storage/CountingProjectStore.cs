using System.Runtime.CompilerServices;

namespace VirtualItCompany.Tests.Storage;

/// <summary>A project store that counts the snapshot and event reads it passes on, for tests of what the runtime reads back.</summary>
internal sealed class CountingProjectStore(IProjectStore inner) : IProjectStore
{
    private int _snapshotReads;
    private int _eventReads;

    /// <summary>Gets how many times <see cref="GetAsync"/> was called.</summary>
    public int SnapshotReads => Volatile.Read(ref _snapshotReads);

    /// <summary>Gets how many times <see cref="ReadEventsAsync"/> was enumerated.</summary>
    public int EventReads => Volatile.Read(ref _eventReads);

    public Task CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default) => inner.CommitAsync(commit, cancellationToken);

    public ValueTask<ProjectSnapshot?> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _snapshotReads);
        return inner.GetAsync(projectId, cancellationToken);
    }

    public IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, CancellationToken cancellationToken = default) => inner.ListAsync(status, cancellationToken);

    public async IAsyncEnumerable<ProjectEvent> ReadEventsAsync(ProjectId projectId, long afterVersion = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _eventReads);
        await foreach (var e in inner.ReadEventsAsync(projectId, afterVersion, cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }
}
