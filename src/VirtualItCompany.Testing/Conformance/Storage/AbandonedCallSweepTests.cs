using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>
/// For a store that implements <see cref="IAbandonedCallSweep"/> (optional, so not required by the conformance guard): a work
/// item's open reservations are charged in full and journaled in one transaction, only under the item's current lease.
/// </summary>
/// <remarks>The fixture must give the store's budget account (<see cref="StorageUnderTest.Budget"/>) and journal (<see cref="StorageUnderTest.Journal"/>).</remarks>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
public abstract class AbandonedCallSweepTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    /// <summary>Under the current lease the open reservations are charged at their full amount and each journaled; run again (as after a lost reply) nothing is charged or journaled twice.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Under_the_current_lease_open_reservations_are_charged_in_full_and_each_journaled()
    {
        var (sweep, storage, item, lease, scope) = await LeasedItemAsync();
        var cut = await ReserveAsync(storage, item, 0.5m, "m1");
        var closed = await ReserveAsync(storage, item, 0.25m, null);
        Assert.True(await storage.Budget!.SettleAsync(closed, 0.1m, Ct));

        Assert.True(await sweep.SweepAbandonedAsync(item.Id, lease.Token, r => Record(item, r, lease.Token), Ct));

        Assert.Equal(new BudgetBalance(scope, 5m, 0.6m, 0m), await storage.Budget.GetBalanceAsync(scope, Ct));
        Assert.Equal(Record(item, cut, lease.Token), Assert.Single(await storage.Journal!.ListAsync(item.Id, Ct)));
        Assert.True(await sweep.SweepAbandonedAsync(item.Id, lease.Token, r => Record(item, r, lease.Token), Ct));
        Assert.Single(await storage.Journal.ListAsync(item.Id, Ct));
        Assert.Equal(0.6m, (await storage.Budget.GetBalanceAsync(scope, Ct)).Spent);
    }

    /// <summary>A lease that is no longer the item's sweeps nothing; the try that holds the item sweeps it.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_lease_that_is_no_longer_the_items_sweeps_nothing()
    {
        var (sweep, storage, item, lease, scope) = await LeasedItemAsync();
        var open = await ReserveAsync(storage, item, 0.5m, null);
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var next = await LeaseAsync(storage, "worker-2");

        Assert.False(await sweep.SweepAbandonedAsync(item.Id, lease.Token, r => Record(item, r, lease.Token), Ct));

        Assert.Equal(new BudgetBalance(scope, 5m, 0m, 0.5m), await storage.Budget!.GetBalanceAsync(scope, Ct));
        Assert.Empty(await storage.Journal!.ListAsync(item.Id, Ct));
        Assert.True(await sweep.SweepAbandonedAsync(item.Id, next.Token, r => Record(item, r, next.Token), Ct));
        Assert.Equal(Record(item, open, next.Token), Assert.Single(await storage.Journal.ListAsync(item.Id, Ct)));
    }

    /// <summary>When a record cannot be made, nothing is charged: the charge and the records are one transaction.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task When_a_record_cannot_be_made_nothing_is_charged()
    {
        var (sweep, storage, item, lease, scope) = await LeasedItemAsync();
        _ = await ReserveAsync(storage, item, 0.5m, null);

        await Assert.ThrowsAnyAsync<Exception>(async () => await sweep.SweepAbandonedAsync(item.Id, lease.Token, _ => throw new InvalidOperationException("no record"), Ct));

        Assert.Equal(new BudgetBalance(scope, 5m, 0m, 0.5m), await storage.Budget!.GetBalanceAsync(scope, Ct));
        Assert.Empty(await storage.Journal!.ListAsync(item.Id, Ct));
    }

    private async Task<(IAbandonedCallSweep Sweep, StorageUnderTest Storage, WorkItem Item, WorkLease Lease, BudgetScope Scope)> LeasedItemAsync()
    {
        var storage = await CreateStorageAsync();
        Assert.True(storage.Store is IAbandonedCallSweep, "The store does not implement IAbandonedCallSweep.");
        Assert.True(storage.Budget is not null && storage.Journal is not null, "The fixture must give the store's budget account and journal.");
        var id = ProjectId.New();
        var item = ProjectCommits.Item(id, AgentRole.Developer, Now, "item 0");
        var scope = BudgetScope.ForProject(id);
        await storage.Store.CommitAsync(ProjectCommits.Create(id, Now, item) with { Budget = [new RaiseBudgetLimit(scope, 5m)] }, Ct);
        var lease = await LeaseAsync(storage);
        return ((IAbandonedCallSweep)storage.Store, storage, item, lease, scope);
    }

    private static async Task<BudgetReservation> ReserveAsync(StorageUnderTest storage, WorkItem item, decimal amount, string? model)
    {
        var result = await storage.Budget!.TryReserveAsync(new BudgetReservationRequest(item.ProjectId, amount, item.Id) { ModelId = model }, Ct);
        return result.Reservation ?? throw new InvalidOperationException($"The reservation of {amount} was refused.");
    }

    private ModelCallRecord Record(WorkItem item, BudgetReservation reservation, long token) =>
        new(item.Id, "abandoned:" + reservation.Id, "", "unknown", reservation.ModelId ?? "unknown", 0, 0, reservation.Amount, TimeSpan.Zero, reservation.Id, token, Now);
}
