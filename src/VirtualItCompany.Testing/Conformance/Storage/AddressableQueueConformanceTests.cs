using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>
/// A queue whose items can be leased and found by id (<see cref="IAddressableWorkQueue"/>), which a delivery path outside
/// the store, such as a Redis stream, relies on: the named item is leased under the same rules as the oldest one.
/// </summary>
/// <typeparam name="TFixture">The adapter's fixture; its <see cref="StorageUnderTest.Queue"/> must implement <see cref="IAddressableWorkQueue"/>.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.AddressableQueue)]
public abstract class AddressableQueueConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    /// <summary>Leasing an item by id takes exactly that item, even when older ones wait, with a larger token and its first attempt.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Leasing_by_id_takes_the_named_item_even_when_older_ones_wait()
    {
        var (storage, _, items) = await CreateProjectAsync(AgentRole.ProjectManager, AgentRole.Developer, AgentRole.Tester);
        var queue = Addressable(storage);

        var first = await queue.TryLeaseItemAsync(items[2].Id, Request("w1"), Ct);
        var second = await queue.TryLeaseItemAsync(items[1].Id, Request("w2"), Ct);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(items[2], first.Item);
        Assert.Equal(items[1], second.Item);
        Assert.Equal(1, first.Attempt);
        Assert.Equal("w1", first.WorkerId);
        Assert.Equal(Now + LeaseDuration, first.ExpiresAt);
        Assert.True(second.Token > first.Token, $"Token {second.Token} follows {first.Token}.");
        // The oldest is still there for an ordinary lease.
        Assert.Equal(items[0].Id, (await LeaseAsync(storage, "w3")).Item.Id);
    }

    /// <summary>An item is not leased by id while a live lease holds it, before its retry time, when its role is excluded, or when no such item is queued.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task An_item_that_is_not_available_is_not_leased_by_id()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer, AgentRole.Tester);
        var queue = Addressable(storage);
        var held = await queue.TryLeaseItemAsync(items[0].Id, Request("w1"), Ct);
        Assert.NotNull(held);

        Assert.Null(await queue.TryLeaseItemAsync(items[0].Id, Request("w2"), Ct));
        Assert.Null(await queue.TryLeaseItemAsync(items[1].Id, Request("w2", AgentRole.Tester), Ct));
        Assert.Null(await queue.TryLeaseItemAsync("no-such-item", Request("w2"), Ct));

        // Settled with a retry a minute later: not before, then yes.
        var retried = ProjectCommits.Retry(created.Snapshot, held, Now, Now + TimeSpan.FromMinutes(1));
        await storage.Store.CommitAsync(retried, Ct);
        Assert.Null(await queue.TryLeaseItemAsync(items[0].Id, Request("w2"), Ct));
        Time.Advance(TimeSpan.FromMinutes(1));
        var again = await queue.TryLeaseItemAsync(items[0].Id, Request("w2"), Ct);
        Assert.NotNull(again);
        Assert.Equal(2, again.Attempt);
        Assert.True(again.Token > held.Token, "The new lease has a larger token.");
    }

    /// <summary>A lapsed lease's item is leased by id again with the next attempt, and the old lease can no longer settle it.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_lapsed_leases_item_is_leased_by_id_again_and_the_old_lease_is_fenced_off()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer);
        var queue = Addressable(storage);
        var first = await queue.TryLeaseItemAsync(items[0].Id, Request("w1"), Ct);
        Assert.NotNull(first);
        Time.Advance(LeaseDuration);

        var second = await queue.TryLeaseItemAsync(items[0].Id, Request("w2"), Ct);

        Assert.NotNull(second);
        Assert.Equal(2, second.Attempt);
        Assert.True(second.Token > first.Token, "The new lease has a larger token.");
        await Assert.ThrowsAsync<LeaseLostException>(async () => await storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, first, Now), Ct));
        await storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, second, Now), Ct);
        Assert.Null(await queue.FindAsync(items[0].Id, Ct));
    }

    /// <summary>Finding an item by id tells when it is available and whether a lease holds it; a settled or unknown item is not found.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Find_tells_an_items_state_and_finds_nothing_once_it_is_settled()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer, AgentRole.Tester);
        var queue = Addressable(storage);
        var waiting = await queue.FindAsync(items[1].Id, Ct);
        Assert.NotNull(waiting);
        Assert.Equal(items[1], waiting.Item);
        Assert.True(waiting.AvailableAt <= Now, $"Available at {waiting.AvailableAt}, now is {Now}.");
        Assert.Null(waiting.LeaseExpiresAt);
        Assert.False(waiting.IsLeasedAt(Now));

        var lease = await LeaseAsync(storage);
        var leased = await queue.FindAsync(items[0].Id, Ct);
        Assert.NotNull(leased);
        Assert.Equal(lease.ExpiresAt, leased.LeaseExpiresAt);
        Assert.True(leased.IsLeasedAt(Now));
        Assert.False(leased.IsLeasedAt(Now + LeaseDuration));

        await storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, lease, Now), Ct);
        Assert.Null(await queue.FindAsync(items[0].Id, Ct));
        Assert.Null(await queue.FindAsync("no-such-item", Ct));
    }

    /// <summary>Listing the queue gives every queued item oldest first: waiting, leased and waiting for a retry; settled items are not listed.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Listing_gives_every_queued_item_oldest_first()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.ProjectManager, AgentRole.Developer, AgentRole.Tester, AgentRole.DevOps);
        var queue = Addressable(storage);
        var first = await LeaseAsync(storage);
        var completed = ProjectCommits.Complete(created.Snapshot, first, Now);
        await storage.Store.CommitAsync(completed, Ct);
        var second = await LeaseAsync(storage);
        await storage.Store.CommitAsync(ProjectCommits.Retry(completed.Snapshot, second, Now, Now + TimeSpan.FromMinutes(5)), Ct);
        var third = await LeaseAsync(storage);

        var listed = new List<QueuedWorkItem>();
        await foreach (var item in queue.ListQueuedAsync(Ct))
        {
            listed.Add(item);
        }

        Assert.Equal([items[1].Id, items[2].Id, items[3].Id], listed.Select(q => q.Item.Id));
        Assert.Equal(Now + TimeSpan.FromMinutes(5), listed[0].AvailableAt);
        Assert.False(listed[0].IsLeasedAt(Now));
        Assert.Equal(third.ExpiresAt, listed[1].LeaseExpiresAt);
        Assert.Null(listed[2].LeaseExpiresAt);
    }

    private static IAddressableWorkQueue Addressable(StorageUnderTest storage) =>
        storage.Queue as IAddressableWorkQueue
        ?? throw new InvalidOperationException($"The fixture's queue ({storage.Queue.GetType().Name}) does not implement IAddressableWorkQueue; subclass this suite only for a queue that does.");

    private static LeaseRequest Request(string workerId, params AgentRole[] excluded) => new(workerId, LeaseDuration, excluded.ToHashSet());
}
