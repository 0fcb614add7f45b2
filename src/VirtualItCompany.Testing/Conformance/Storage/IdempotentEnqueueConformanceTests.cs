using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>Enqueueing is idempotent: an item whose id is already on the queue, waiting or leased, is left as it is.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class IdempotentEnqueueConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    /// <summary>Enqueueing an item that is already waiting adds nothing: it is leased once.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Enqueueing_an_item_already_waiting_is_ignored()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer);
        var again = ProjectCommits.Schedule(created.Snapshot, Now, items[0]);

        await storage.Store.CommitAsync(again, Ct);

        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        await AssertStoredAsync(storage, created, again);
        Assert.Equal(items[0].Id, (await LeaseAsync(storage)).Item.Id);
        Assert.Null(await TryLeaseAsync(storage, "w2"));
    }

    /// <summary>Enqueueing an item that is leased adds nothing and leaves the lease as it is.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Enqueueing_an_item_already_leased_is_ignored()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage);
        var again = ProjectCommits.Schedule(created.Snapshot, Now, items[0]);

        await storage.Store.CommitAsync(again, Ct);

        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        Assert.Null(await TryLeaseAsync(storage, "w2"));
        var renewed = await storage.Queue.RenewAsync(lease, LeaseDuration, Ct);
        await storage.Store.CommitAsync(ProjectCommits.Complete(again.Snapshot, renewed, Now), Ct);
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>The same id twice in one commit is enqueued once.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task The_same_item_twice_in_one_commit_is_enqueued_once()
    {
        var (storage, created, _) = await CreateProjectAsync();
        var item = ProjectCommits.Item(created.ProjectId, AgentRole.Tester, Now);

        await storage.Store.CommitAsync(ProjectCommits.Schedule(created.Snapshot, Now, item, item), Ct);

        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        await LeaseAsync(storage);
        Assert.Null(await TryLeaseAsync(storage, "w2"));
    }
}
