using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>
/// Schema 5 writes fewer b-trees per work item: open reservations in one clustered b-tree (no owner index), the queue without
/// AUTOINCREMENT and without work_items_waiting. A file of version 4 moves over with its queue order, its leases (tokens
/// included) and its open reservations, and goes on as a store.
/// </summary>
public sealed class SchemaVersion5Tests : IAsyncDisposable
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);
    private readonly TempDatabase _written = new();
    private readonly TempDatabase _older = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _written.DisposeAsync();
        await _older.DisposeAsync();
    }

    [Fact]
    public async Task A_version_4_file_keeps_its_queue_order_leases_and_open_reservations()
    {
        // Written by this version: four items queued, the first leased, one reservation open for it and one for another owner.
        var database = _written.Open(_time);
        var budget = new SqliteBudgetAccount(database);
        var store = new SqliteCompanyStore(database, budget);
        var id = ProjectId.New();
        var items = Enumerable.Range(0, 4).Select(i => ProjectCommits.Item(id, AgentRole.Developer, _time.GetUtcNow(), $"item {i}")).ToArray();
        await store.CommitAsync(ProjectCommits.Create(id, _time.GetUtcNow(), items), Ct);
        var lease = (await store.TryLeaseAsync(new LeaseRequest("w1", LeaseDuration), Ct))!;
        var held = await budget.TryReserveAsync(new BudgetReservationRequest(id, 0.25m, lease.Item.Id), Ct);
        var other = await budget.TryReserveAsync(new BudgetReservationRequest(id, 0.5m, "someone-else"), Ct);
        Assert.True(held.IsGranted && other.IsGranted);
        var queuedBefore = await QueuedAsync(store);
        await database.DisposeAsync();

        MakeVersion4Copy();
        var migrated = _older.Open(_time);

        using (var raw = _older.OpenRaw())
        {
            Assert.Equal((long)SqliteSchema.CurrentVersion, Scalar(raw, "PRAGMA user_version;"));
            Assert.Equal(0L, Scalar(raw, "SELECT count(*) FROM sqlite_schema WHERE name IN ('work_items_waiting', 'budget_reservations_by_owner') OR name LIKE '%_v5';"));
            Assert.Equal(3L, Scalar(raw, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('work_items_ready', 'work_items_leased', 'work_items_delayed');"));
            Assert.DoesNotContain("AUTOINCREMENT", (string)Scalar(raw, "SELECT sql FROM sqlite_schema WHERE name = 'work_items';")!, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("WITHOUT ROWID", (string)Scalar(raw, "SELECT sql FROM sqlite_schema WHERE name = 'budget_reservations';")!, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(0L, Scalar(raw, "SELECT count(*) FROM sqlite_sequence WHERE name = 'work_items';"));
            Assert.Equal("ok", Scalar(raw, "PRAGMA integrity_check;"));
        }

        var migratedBudget = new SqliteBudgetAccount(migrated);
        var migratedStore = new SqliteCompanyStore(migrated, migratedBudget);
        Assert.Equal(queuedBefore, await QueuedAsync(migratedStore));

        // The lease taken before the migration still holds (its token was kept); the next lease takes the oldest waiting item.
        var renewed = await migratedStore.RenewAsync(lease, LeaseDuration, Ct);
        Assert.Equal(lease.Token, renewed.Token);
        Assert.Equal(items[1].Id, (await migratedStore.TryLeaseAsync(new LeaseRequest("w2", LeaseDuration), Ct))!.Item.Id);

        // The open reservations are still open and still counted: sweeping the item's charges its own, not the other one.
        Assert.Equal(0.75m, (await migratedBudget.GetBalanceAsync(BudgetScope.Company, Ct)).Reserved);
        var swept = await migratedBudget.SettleOwnerAsync(lease.Item.Id, Ct);
        Assert.Equal([held.Reservation!.Id], swept.Select(r => r.Id));
        var company = await migratedBudget.GetBalanceAsync(BudgetScope.Company, Ct);
        Assert.Equal((0.25m, 0.5m), (company.Spent, company.Reserved));
        Assert.True(await migratedBudget.ReleaseAsync(other.Reservation!, Ct));

        // New work goes behind the items already queued.
        var snapshot = (await migratedStore.GetAsync(id, Ct))!;
        var later = ProjectCommits.Item(id, AgentRole.Tester, _time.GetUtcNow(), "later");
        await migratedStore.CommitAsync(ProjectCommits.Schedule(snapshot, _time.GetUtcNow(), later), Ct);
        Assert.Equal([items[2].Id, items[3].Id, later.Id], await LeaseAllAsync(migratedStore));
    }

    [Fact]
    public async Task A_drained_queue_still_leases_in_enqueue_order_when_rowids_start_again()
    {
        // Without AUTOINCREMENT an emptied queue may hand out a rowid again; the order is still the order of enqueue.
        var store = new SqliteCompanyStore(_written.Open(_time));
        var id = ProjectId.New();
        var first = ProjectCommits.Item(id, AgentRole.Developer, _time.GetUtcNow(), "first");
        var created = ProjectCommits.Create(id, _time.GetUtcNow(), first);
        await store.CommitAsync(created, Ct);
        var lease = (await store.TryLeaseAsync(new LeaseRequest("w1", LeaseDuration), Ct))!;
        var done = ProjectCommits.Complete(created.Snapshot, lease, _time.GetUtcNow());
        await store.CommitAsync(done, Ct);
        Assert.Equal(0, await store.CountAsync(Ct));

        var again = Enumerable.Range(0, 3).Select(i => ProjectCommits.Item(id, AgentRole.Developer, _time.GetUtcNow(), $"again {i}")).ToArray();
        await store.CommitAsync(ProjectCommits.Schedule(done.Snapshot, _time.GetUtcNow(), again), Ct);
        Assert.Equal(again.Select(i => i.Id), await LeaseAllAsync(store));

        // A token is never handed out twice, whatever the rowids: the token counter lives apart from the queue.
        var tokens = new HashSet<long> { lease.Token };
        using var raw = _written.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT lease_token FROM work_items;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            Assert.True(tokens.Add(reader.GetInt64(0)));
        }
    }

    [Fact]
    public async Task A_worker_waiting_for_work_wakes_at_the_retry_time_found_through_the_delayed_index()
    {
        var store = new SqliteCompanyStore(_written.Open(_time));
        var id = ProjectId.New();
        var created = ProjectCommits.Create(id, _time.GetUtcNow(), ProjectCommits.Item(id, AgentRole.Developer, _time.GetUtcNow()));
        await store.CommitAsync(created, Ct);
        var lease = (await store.TryLeaseAsync(new LeaseRequest("w1", LeaseDuration), Ct))!;
        await store.CommitAsync(ProjectCommits.Retry(created.Snapshot, lease, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5)), Ct);
        // Many items waiting and due are not what the wake-up time is looked up in.
        var snapshot = (await store.GetAsync(id, Ct))!;
        await store.CommitAsync(ProjectCommits.Schedule(snapshot, _time.GetUtcNow(), [.. Enumerable.Range(0, 50).Select(i => ProjectCommits.Item(id, AgentRole.Tester, _time.GetUtcNow(), $"due {i}"))]), Ct);

        using (var raw = _written.OpenRaw())
        using (var command = raw.CreateCommand())
        {
            command.CommandText = "EXPLAIN QUERY PLAN SELECT min(available_at) FROM work_items WHERE lease_token IS NULL AND attempts > 0 AND available_at > 0;";
            using var reader = command.ExecuteReader();
            var plan = new List<string>();
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }

            Assert.Contains(plan, p => p.Contains("work_items_delayed", StringComparison.Ordinal));
        }

        // A worker of a role with nothing due waits until the retry is due (not its whole maxWait); the first wait takes the
        // signal of the enqueues above.
        await store.WaitForWorkAsync(TimeSpan.FromHours(1), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var waiting = store.WaitForWorkAsync(TimeSpan.FromHours(1), Ct).AsTask();
        await Task.Delay(50, Ct);
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(5));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    private async Task<List<string>> LeaseAllAsync(SqliteCompanyStore store)
    {
        var leased = new List<string>();
        while (await store.TryLeaseAsync(new LeaseRequest("drain", LeaseDuration), Ct) is { } next)
        {
            leased.Add(next.Item.Id);
        }

        return leased;
    }

    private static async Task<List<string>> QueuedAsync(SqliteCompanyStore store) =>
        await store.ListQueuedAsync(Ct).Select(q => $"{q.Item.Id}@{q.AvailableAt.ToUnixTimeMilliseconds()}/{q.LeaseExpiresAt?.ToUnixTimeMilliseconds()}").ToListAsync(Ct);

    /// <summary>Makes <see cref="_older"/> a file of schema version 4 holding every row of <see cref="_written"/>.</summary>
    private void MakeVersion4Copy()
    {
        using var raw = _older.MakeOlderCopy(_written, version: 4, """
            INSERT INTO snapshots SELECT * FROM written.snapshots;
            INSERT INTO events SELECT * FROM written.events;
            INSERT INTO work_items SELECT * FROM written.work_items;
            INSERT INTO budget_reservations SELECT * FROM written.budget_reservations;
            INSERT OR REPLACE INTO counters SELECT * FROM written.counters;
            INSERT OR REPLACE INTO budgets SELECT * FROM written.budgets;
            """);
        Assert.Contains("AUTOINCREMENT", (string)Scalar(raw, "SELECT sql FROM sqlite_schema WHERE name = 'work_items';")!, StringComparison.Ordinal);
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
