using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>Atomicity: a commit that fails or is refused leaves nothing of itself visible: no event, snapshot, queue change or outbox message.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class CommitAtomicityConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    private const string Topic = "work";

    /// <summary>A commit that creates a project and fails midway leaves no project, no queue item and no message; the same commit succeeds afterwards.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_creating_commit_that_fails_midway_leaves_nothing()
    {
        var storage = await CreateFaultableStorageAsync();
        var id = ProjectId.New();
        var create = ProjectCommits.Create(id, Now, ProjectCommits.Item(id, AgentRole.ProjectManager, Now)) with { Outbox = [Message(id)] };

        storage.FailNextCommitMidway!();
        await Assert.ThrowsAnyAsync<Exception>(() => storage.Store.CommitAsync(create, Ct));

        Assert.Null(await storage.Store.GetAsync(id, Ct));
        Assert.Empty(await ReadEventsAsync(storage, id));
        Assert.Empty(await ListAsync(storage));
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
        Assert.Null(await TryLeaseAsync(storage));
        await AssertNoMessagesAsync(storage);

        await storage.Store.CommitAsync(create, Ct);
        await AssertStoredAsync(storage, create);
        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>A commit that settles a lease, enqueues and writes messages and fails midway changes nothing; the lease still holds and can commit.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_settling_commit_that_fails_midway_leaves_nothing()
    {
        var storage = await CreateFaultableStorageAsync();
        var (created, _) = await AddProjectAsync(storage, AgentRole.Developer);
        var lease = await LeaseAsync(storage);
        var settle = FullCommit(created, lease);

        storage.FailNextCommitMidway!();
        await Assert.ThrowsAnyAsync<Exception>(() => storage.Store.CommitAsync(settle, Ct));

        await AssertNothingOfAsync(storage, created, lease);
        await storage.Store.CommitAsync(settle, Ct);
        await AssertStoredAsync(storage, created, settle);
        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>A commit refused for its version leaves nothing of itself: no event, snapshot, enqueued item, settled lease or message.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_commit_refused_for_its_version_leaves_nothing()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage);
        var stale = FullCommit(created, lease) with { ExpectedVersion = 1 };
        stale = stale with { Events = [.. stale.Events.Select((e, i) => e with { Version = 2 + i })], Snapshot = stale.Snapshot with { Version = 1 + stale.Events.Count } };

        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Store.CommitAsync(stale, Ct));

        await AssertNothingOfAsync(storage, created, lease);
    }

    /// <summary>A commit refused for its lease's fencing token leaves nothing of itself.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_commit_refused_for_its_lease_leaves_nothing()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.Developer);
        var first = await LeaseAsync(storage, "w1");
        Time.Advance(LeaseDuration);
        var current = await LeaseAsync(storage, "w2");

        await Assert.ThrowsAsync<LeaseLostException>(() => storage.Store.CommitAsync(FullCommit(created, first), Ct));

        await AssertNothingOfAsync(storage, created, current);
    }

    /// <summary>A commit whose token is cancelled before it starts stores all of it or nothing of it.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_cancelled_commit_stores_all_of_it_or_nothing()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage);
        var settle = FullCommit(created, lease);

        bool stored;
        try
        {
            await storage.Store.CommitAsync(settle, new CancellationToken(canceled: true));
            stored = true;
        }
        catch (OperationCanceledException)
        {
            stored = false;
        }

        if (stored)
        {
            await AssertStoredAsync(storage, created, settle);
            Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        }
        else
        {
            await AssertNothingOfAsync(storage, created, lease);
        }
    }

    private static OutboxMessage Message(ProjectId id) => new(Topic, id.Value, "{\"kind\":\"conformance\"}");

    /// <summary>Completes the leased item, schedules a new one and writes a message: a commit that touches everything.</summary>
    private ProjectCommit FullCommit(ProjectCommit created, WorkLease lease)
    {
        var next = ProjectCommits.Item(created.ProjectId, AgentRole.Tester, Now);
        var completed = ProjectCommits.Complete(created.Snapshot, lease, Now);
        var scheduled = ProjectCommits.Schedule(completed.Snapshot, Now, next);
        return completed with
        {
            Events = [.. completed.Events, .. scheduled.Events],
            Snapshot = scheduled.Snapshot,
            Enqueue = [next],
            Outbox = [Message(created.ProjectId)],
        };
    }

    private async Task<StorageUnderTest> CreateFaultableStorageAsync()
    {
        Assert.SkipUnless(Fixture.SupportsCommitFaultInjection, "The adapter cannot inject a failure in the middle of a commit.");
        var storage = await CreateStorageAsync();
        Assert.True(storage.FailNextCommitMidway is not null, "The fixture says it supports commit fault injection but set no FailNextCommitMidway.");
        return storage;
    }

    /// <summary>Asserts that the project is as created, the lease still holds its only item, no other item is on the queue and no message was written.</summary>
    private async Task AssertNothingOfAsync(StorageUnderTest storage, ProjectCommit created, WorkLease lease)
    {
        await AssertStoredAsync(storage, created);
        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        Assert.Null(await TryLeaseAsync(storage, "other"));
        await AssertNoMessagesAsync(storage);
        var renewed = await storage.Queue.RenewAsync(lease, LeaseDuration, Ct);
        Assert.Equal(lease.Token, renewed.Token);
    }

    private static async Task AssertNoMessagesAsync(StorageUnderTest storage)
    {
        if (storage.Outbox is { } outbox)
        {
            Assert.Empty(await outbox.ReadAsync(Topic, 10, Ct));
        }
    }
}
