using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>Parked work: it leaves the queue and lives in the snapshot until the runtime schedules it again.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class ParkedWorkConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    /// <summary>A commit that settles a lease with a <see cref="WorkItemParked"/> event takes the item off the queue, and the stored snapshot lists it as parked.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Parking_a_leased_item_takes_it_off_the_queue_and_the_snapshot_lists_it_as_parked()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage);
        var parked = ProjectCommits.Park(created.Snapshot, lease, Now);

        await storage.Store.CommitAsync(parked, Ct);

        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
        Time.Advance(LeaseDuration * 2);
        Assert.Null(await TryLeaseAsync(storage));
        var snapshot = await storage.Store.GetAsync(created.ProjectId, Ct);
        AssertSameSnapshot(parked.Snapshot, snapshot);
        Assert.Equal(items[0], Assert.Single(snapshot!.ParkedWork));
        Assert.Empty(snapshot.OutstandingWork);
    }

    /// <summary>A parked item scheduled again later goes back on the queue under its id and can be leased.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_parked_item_scheduled_again_can_be_leased()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage);
        var parked = ProjectCommits.Park(created.Snapshot, lease, Now);
        await storage.Store.CommitAsync(parked, Ct);
        Time.Advance(TimeSpan.FromHours(1));

        var resumed = ProjectCommits.Next(parked.Snapshot, Now, new ProjectResumed(), new WorkItemScheduled(items[0])) with { Enqueue = [items[0]] };
        await storage.Store.CommitAsync(resumed, Ct);

        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        var again = await LeaseAsync(storage);
        Assert.Equal(items[0].Id, again.Item.Id);
        Assert.True(again.Token > lease.Token, "The new lease has a larger token.");
        var snapshot = await storage.Store.GetAsync(created.ProjectId, Ct);
        Assert.Empty(snapshot!.ParkedWork);
        Assert.True(snapshot.OutstandingWork.ContainsKey(items[0].Id), "The item is outstanding again.");
    }
}
