using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>
/// The journal mark on an item's row: a lease of an item without records says so (<see cref="WorkLease.JournaledCalls"/>
/// empty, not unknown), so the worker skips the journal read; a record marks the item, and the commit that removes the
/// records clears the mark. The conformance suite checks that what a lease carries is right; this checks it is given.
/// </summary>
public sealed class JournalMarkTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_lease_says_an_item_has_no_records_until_one_is_recorded_and_again_after_the_retry_removed_them()
    {
        await using var schema = new TempSchema();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        var store = await schema.OpenStoreAsync(time);
        var (snapshot, ids) = await Work.EnqueueAsync(store, 1, time.GetUtcNow());

        var first = await LeaseAsync(store, "w1");
        Assert.NotNull(first.JournaledCalls);
        Assert.Empty(first.JournaledCalls);
        Assert.True(await store.RecordAsync(Record(ids[0], first.Token, time.GetUtcNow()), Work.Ct));

        time.Advance(LeaseDuration); // the first try's worker crashed
        var second = await LeaseAsync(store, "w2");
        Assert.Null(second.JournaledCalls); // marked: the worker lists the records
        await store.CommitAsync(new ProjectCommit(snapshot.Id, snapshot.Version, [], snapshot) { CompletesLease = second, RetryAt = time.GetUtcNow() }, Work.Ct);

        var third = await LeaseAsync(store, "w3");
        Assert.NotNull(third.JournaledCalls);
        Assert.Empty(third.JournaledCalls);
        Assert.Empty(await store.ListAsync(ids[0], Work.Ct));
    }

    private static async Task<WorkLease> LeaseAsync(PostgreSqlCompanyStore store, string worker)
    {
        var lease = await store.TryLeaseAsync(new LeaseRequest(worker, LeaseDuration, new HashSet<AgentRole>()), Work.Ct);
        Assert.NotNull(lease);
        return lease;
    }

    private static ModelCallRecord Record(string itemId, long token, DateTimeOffset at) =>
        new(itemId, "call-1", "{}", "offline", "offline-no-ai", 1, 1, 0m, TimeSpan.Zero, null, token, at);
}
