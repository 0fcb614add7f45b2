using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>
/// A lease takes the oldest item that is available, whether it waits or its lease lapsed; the waiting ones are found through
/// the partial index in enqueue order, not by walking the work in flight.
/// </summary>
public sealed class LeaseOrderTests : IAsyncDisposable
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task Waiting_items_and_lapsed_leases_are_leased_together_oldest_first()
    {
        var store = new SqliteCompanyStore(_temp.Open(_time));
        var id = ProjectId.New();
        var items = Enumerable.Range(0, 4).Select(i => ProjectCommits.Item(id, AgentRole.Developer, _time.GetUtcNow(), $"item {i}")).ToArray();
        await store.CommitAsync(ProjectCommits.Create(id, _time.GetUtcNow(), items), Ct);

        var first = await LeaseAsync(store, "w1");      // item 0
        _time.Advance(LeaseDuration / 2);
        var second = await LeaseAsync(store, "w2");     // item 1
        var third = await LeaseAsync(store, "w3");      // item 2
        await store.ReleaseAsync(third!, Ct);           // item 2 waits again
        Assert.Equal([items[0].Id, items[1].Id, items[2].Id], [first!.Item.Id, second!.Item.Id, third!.Item.Id]);

        // Item 0's lease lapses: it is older than the waiting items 2 and 3, so it goes first; then the waiting ones.
        _time.Advance(LeaseDuration / 2);
        Assert.Equal(items[0].Id, (await LeaseAsync(store, "w4"))!.Item.Id);
        Assert.Equal(items[2].Id, (await LeaseAsync(store, "w4"))!.Item.Id);

        // Item 1's lease lapses while item 3 still waits: the waiting item 3 is younger than item 1.
        _time.Advance(LeaseDuration / 2);
        Assert.Equal(items[1].Id, (await LeaseAsync(store, "w5"))!.Item.Id);
        Assert.Equal(items[3].Id, (await LeaseAsync(store, "w5"))!.Item.Id);
        Assert.Null(await LeaseAsync(store, "w6"));
    }

    [Fact]
    public async Task An_item_waiting_for_its_retry_time_does_not_hold_back_a_younger_item_that_is_due()
    {
        var store = new SqliteCompanyStore(_temp.Open(_time));
        var id = ProjectId.New();
        var older = ProjectCommits.Item(id, AgentRole.Developer, _time.GetUtcNow(), "older");
        var created = ProjectCommits.Create(id, _time.GetUtcNow(), older);
        await store.CommitAsync(created, Ct);
        var lease = await LeaseAsync(store, "w1");
        var retried = ProjectCommits.Retry(created.Snapshot, lease!, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5));
        await store.CommitAsync(retried, Ct);
        var younger = ProjectCommits.Item(id, AgentRole.Developer, _time.GetUtcNow(), "younger");
        await store.CommitAsync(ProjectCommits.Schedule(retried.Snapshot, _time.GetUtcNow(), younger), Ct);

        Assert.Equal(younger.Id, (await LeaseAsync(store, "w2"))!.Item.Id);
        Assert.Null(await LeaseAsync(store, "w2"));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(older.Id, (await LeaseAsync(store, "w3"))!.Item.Id);
    }

    [Fact]
    public void The_oldest_waiting_item_is_found_through_the_partial_index_in_enqueue_order()
    {
        using var database = _temp.Open(_time);
        using var connection = _temp.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = """
            EXPLAIN QUERY PLAN
            SELECT sequence, item, attempts FROM work_items INDEXED BY work_items_ready
            WHERE lease_token IS NULL AND available_at <= 0 AND (NULL IS NULL OR role NOT IN (SELECT value FROM json_each(NULL)))
            ORDER BY sequence LIMIT 1;
            """;
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        // In enqueue order through the index, so the first due row ends the search: no sort, no walk past leased items.
        Assert.Contains("SCAN work_items USING INDEX work_items_ready", plan);
        Assert.DoesNotContain(plan, p => p.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    private static ValueTask<WorkLease?> LeaseAsync(SqliteCompanyStore store, string worker) =>
        store.TryLeaseAsync(new LeaseRequest(worker, LeaseDuration), Ct);
}
