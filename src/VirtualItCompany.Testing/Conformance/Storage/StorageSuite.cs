using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>The base of the storage suites: fake time, a fresh storage per test and the shared helpers.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
public abstract class StorageSuite<TFixture> : IAsyncDisposable
    where TFixture : StorageFixture, new()
{
    /// <summary>How long the suites' leases last unless a test says otherwise.</summary>
    protected static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);

    /// <summary>How long a test waits in real time for something that should happen at once (a wake-up, concurrent workers).</summary>
    protected static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private readonly List<StorageUnderTest> _created = [];

    /// <summary>Gets the adapter's fixture.</summary>
    protected TFixture Fixture { get; } = new();

    /// <summary>Gets the fake clock the storage runs on; advance it to expire leases and reach retry times.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Gets the test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gets the current fake time.</summary>
    protected DateTimeOffset Now => Time.GetUtcNow();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var storage in _created)
        {
            await storage.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a fresh storage for the test.</summary>
    /// <returns>The storage.</returns>
    protected async Task<StorageUnderTest> CreateStorageAsync()
    {
        var storage = await Fixture.CreateAsync(Time, Ct).ConfigureAwait(false);
        _created.Add(storage);
        return storage;
    }

    /// <summary>Creates a fresh storage and commits a new project that schedules the given items.</summary>
    /// <param name="roles">The roles of the items to schedule, oldest first.</param>
    /// <returns>The storage, the creating commit and the items.</returns>
    protected async Task<(StorageUnderTest Storage, ProjectCommit Created, WorkItem[] Items)> CreateProjectAsync(params AgentRole[] roles)
    {
        var storage = await CreateStorageAsync().ConfigureAwait(false);
        var (created, items) = await AddProjectAsync(storage, roles).ConfigureAwait(false);
        return (storage, created, items);
    }

    /// <summary>Commits a new project that schedules the given items to a storage.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="roles">The roles of the items to schedule, oldest first.</param>
    /// <returns>The creating commit and the items.</returns>
    protected async Task<(ProjectCommit Created, WorkItem[] Items)> AddProjectAsync(StorageUnderTest storage, params AgentRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(roles);
        var id = ProjectId.New();
        var items = roles.Select((r, i) => ProjectCommits.Item(id, r, Now, $"item {i}")).ToArray();
        var created = ProjectCommits.Create(id, Now, items);
        await storage.Store.CommitAsync(created, Ct).ConfigureAwait(false);
        return (created, items);
    }

    /// <summary>Asks the queue for a lease of the default duration.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="workerId">The worker.</param>
    /// <param name="excludedRoles">Roles the worker cannot take.</param>
    /// <returns>The lease, or <see langword="null"/>.</returns>
    protected static async Task<WorkLease?> TryLeaseAsync(StorageUnderTest storage, string workerId = "worker-1", params AgentRole[] excludedRoles)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return await storage.Queue.TryLeaseAsync(new LeaseRequest(workerId, LeaseDuration, excludedRoles.ToHashSet()), Ct).ConfigureAwait(false);
    }

    /// <summary>Asks the queue for a lease and fails the test when there is none.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="workerId">The worker.</param>
    /// <returns>The lease.</returns>
    protected static async Task<WorkLease> LeaseAsync(StorageUnderTest storage, string workerId = "worker-1")
    {
        var lease = await TryLeaseAsync(storage, workerId).ConfigureAwait(false);
        Assert.True(lease is not null, $"The queue gave worker '{workerId}' no lease although an item was available.");
        return lease;
    }

    /// <summary>Reads all of a project's events after a version.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="projectId">The project.</param>
    /// <param name="afterVersion">Only later events are read.</param>
    /// <returns>The events.</returns>
    protected static async Task<List<ProjectEvent>> ReadEventsAsync(StorageUnderTest storage, ProjectId projectId, long afterVersion = 0)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var events = new List<ProjectEvent>();
        await foreach (var e in storage.Store.ReadEventsAsync(projectId, afterVersion, Ct).ConfigureAwait(false))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Lists the projects' snapshots.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="status">Only this status, or <see langword="null"/>.</param>
    /// <returns>The snapshots in the store's order.</returns>
    protected static async Task<List<ProjectSnapshot>> ListAsync(StorageUnderTest storage, ProjectStatus? status = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var snapshots = new List<ProjectSnapshot>();
        await foreach (var s in storage.Store.ListAsync(status, Ct).ConfigureAwait(false))
        {
            snapshots.Add(s);
        }

        return snapshots;
    }

    /// <summary>Asserts that the stored events are the committed ones, compared in their serialized form (a durable store gives copies back).</summary>
    /// <param name="expected">The committed events.</param>
    /// <param name="actual">The events read back.</param>
    protected static void AssertSameEvents(IEnumerable<ProjectEvent> expected, IEnumerable<ProjectEvent> actual) =>
        Assert.Equal(expected.Select(ProjectEventSerializer.Serialize), actual.Select(ProjectEventSerializer.Serialize));

    /// <summary>Asserts that a stored snapshot is the committed one in what a store must keep: identity, version, times, status, stage and work.</summary>
    /// <param name="expected">The committed snapshot.</param>
    /// <param name="actual">The snapshot read back.</param>
    protected static void AssertSameSnapshot(ProjectSnapshot expected, ProjectSnapshot? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Brief.Title, actual.Brief.Title);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Stage, actual.Stage);
        Assert.Equal(expected.ClientAnswers, actual.ClientAnswers);
        Assert.Equal(expected.OutstandingWork.Keys.Order(StringComparer.Ordinal), actual.OutstandingWork.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(expected.ParkedWork.Select(w => w.Id), actual.ParkedWork.Select(w => w.Id));
    }

    /// <summary>Asserts that a project is stored exactly as a commit left it: its snapshot and its events up to that version.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="commits">The project's commits so far, in order.</param>
    /// <returns>A task that completes when checked.</returns>
    protected static async Task AssertStoredAsync(StorageUnderTest storage, params ProjectCommit[] commits)
    {
        ArgumentNullException.ThrowIfNull(commits);
        var last = commits[^1];
        AssertSameSnapshot(last.Snapshot, await storage!.Store.GetAsync(last.ProjectId, Ct).ConfigureAwait(false));
        AssertSameEvents(commits.SelectMany(c => c.Events), await ReadEventsAsync(storage, last.ProjectId).ConfigureAwait(false));
    }
}
