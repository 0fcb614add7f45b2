using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Redis.Tests;

/// <summary>What the Redis stream guarantees beyond the conformance suites: acknowledgement after the commit, takeover of a dead worker's entries, poison items, trimming and rebuilds.</summary>
public sealed class StreamDeliveryTests : IAsyncDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly List<RedisSqliteStorage> _created = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => _time.GetUtcNow();

    public async ValueTask DisposeAsync()
    {
        foreach (var storage in _created)
        {
            await storage.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_outbox_feeds_the_stream_and_an_entry_is_acknowledged_only_after_the_store_committed_its_item()
    {
        var storage = await CreateAsync();
        var (created, items) = await AddProjectAsync(storage, AgentRole.Developer);

        Assert.Equal(1, await storage.Redis.StreamLengthAsync(storage.Stream.StreamKey));
        Assert.Empty(await storage.Sqlite.ReadAsync(storage.Stream.Options.OutboxTopic, 10, Ct));
        var lease = await LeaseAsync(storage, "w1");
        Assert.Equal(items[0].Id, lease.Item.Id);
        Assert.Equal(1, (await storage.Redis.StreamPendingAsync(storage.Stream.StreamKey, storage.Stream.Group)).PendingMessageCount);

        await storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, lease, Now), Ct);

        Assert.Equal(0, (await storage.Redis.StreamPendingAsync(storage.Stream.StreamKey, storage.Stream.Group)).PendingMessageCount);
        Assert.Equal(0, await storage.Redis.StreamLengthAsync(storage.Stream.StreamKey));
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    [Fact]
    public async Task A_worker_that_dies_between_the_commit_and_the_acknowledgement_leaves_the_entry_pending_and_the_item_still_runs_once()
    {
        var storage = await CreateAsync();
        var (created, _) = await AddProjectAsync(storage, AgentRole.Developer);
        var lease = await LeaseAsync(storage, "w1");
        storage.Queue.BeforeAcknowledge = _ => throw new InvalidOperationException("killed before XACK");

        var completed = ProjectCommits.Complete(created.Snapshot, lease, Now);
        await storage.Store.CommitAsync(completed, Ct);
        storage.Queue.BeforeAcknowledge = null;

        var pending = await storage.Redis.StreamPendingMessagesAsync(storage.Stream.StreamKey, storage.Stream.Group, 10, RedisValue.Null);
        Assert.Single(pending);
        Assert.Equal("w1", pending[0].ConsumerName.ToString());

        // Another worker claims the entry and finds the item settled in the store: nothing runs again, the entry is dropped.
        _time.Advance(Lease * 2);
        Assert.Null(await storage.Queue.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct));
        Assert.Equal(0, (await storage.Redis.StreamPendingAsync(storage.Stream.StreamKey, storage.Stream.Group)).PendingMessageCount);
        Assert.Equal(0, await storage.Redis.StreamLengthAsync(storage.Stream.StreamKey));
        // The dead worker's commit cannot be applied a second time either: the store's fencing refuses it.
        await Assert.ThrowsAnyAsync<Exception>(() => storage.Store.CommitAsync(ProjectCommits.Complete(completed.Snapshot, lease, Now), Ct));
        var events = await storage.Store.ReadEventsAsync(created.ProjectId, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(completed.Snapshot.Version, events.Count);
    }

    [Fact]
    public async Task The_entry_of_a_dead_worker_is_claimed_only_once_idle_and_taken_over_once_its_lease_lapsed()
    {
        var storage = await CreateAsync(o => o.ClaimMinIdle = TimeSpan.FromMilliseconds(300));
        var (created, items) = await AddProjectAsync(storage, AgentRole.Developer);
        var first = await LeaseAsync(storage, "dead-worker");

        // Not idle long enough in Redis, and the lease lives: nobody takes it.
        Assert.Null(await storage.Queue.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct));
        await Task.Delay(400, Ct);
        // Idle in Redis, but the store's lease still holds: the claim does not take the item.
        Assert.Null(await storage.Queue.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct));

        _time.Advance(Lease);
        await Task.Delay(400, Ct);
        var second = await storage.Queue.TryLeaseAsync(new LeaseRequest("w3", Lease), Ct);

        Assert.NotNull(second);
        Assert.Equal(items[0].Id, second.Item.Id);
        Assert.Equal(2, second.Attempt);
        Assert.True(second.Token > first.Token, "The takeover's lease has a larger token.");
        var pending = await storage.Redis.StreamPendingMessagesAsync(storage.Stream.StreamKey, storage.Stream.Group, 10, RedisValue.Null);
        Assert.Equal("w3", Assert.Single(pending).ConsumerName.ToString());
        await Assert.ThrowsAsync<LeaseLostException>(() => storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, first, Now), Ct));
        await storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, second, Now), Ct);
        Assert.Equal(0, await storage.Redis.StreamLengthAsync(storage.Stream.StreamKey));
    }

    [Fact]
    public async Task A_dead_workers_item_is_taken_over_before_newer_waiting_items_as_the_stores_queue_would()
    {
        var storage = await CreateAsync(o => o.ClaimMinIdle = TimeSpan.FromMilliseconds(300));
        var (created, items) = await AddProjectAsync(storage, AgentRole.Developer);
        var first = await LeaseAsync(storage, "dead-worker");
        var newer = new[] { ProjectCommits.Item(created.ProjectId, AgentRole.Tester, Now, "newer 1"), ProjectCommits.Item(created.ProjectId, AgentRole.Tester, Now, "newer 2") };
        await storage.Store.CommitAsync(ProjectCommits.Schedule(created.Snapshot, Now, newer), Ct);

        // The dead worker's lease lapsed and its entry is idle, while newer entries wait: the lapsed item comes first.
        _time.Advance(Lease);
        await Task.Delay(400, Ct);
        var leased = new List<string>();
        while (await storage.Queue.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct) is { } lease)
        {
            leased.Add(lease.Item.Id);
        }

        Assert.Equal([items[0].Id, newer[0].Id, newer[1].Id], leased);
        Assert.True(first.Attempt == 1, "The dead worker held the first attempt.");
    }

    [Fact]
    public async Task An_entry_claimed_while_its_lease_lives_is_claimable_again_when_the_lease_lapses_not_a_whole_idle_time_later()
    {
        var storage = await CreateAsync(o => o.ClaimMinIdle = TimeSpan.FromSeconds(2));
        var (_, items) = await AddProjectAsync(storage, AgentRole.Developer);
        await LeaseAsync(storage, "paused-worker");

        // The entry has been idle for ClaimMinIdle, one second before the lease lapses (the holder renewed it later than its entry).
        await Task.Delay(2_100, Ct);
        _time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Null(await storage.Queue.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct)); // claimed, but the lease lives

        // The lease lapses a second later: the entry is claimable then, not two seconds after the claim above.
        _time.Advance(TimeSpan.FromSeconds(1.5));
        await Task.Delay(1_300, Ct);
        var taken = await storage.Queue.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct);

        Assert.Equal(items[0].Id, taken?.Item.Id);
        Assert.Equal(2, taken!.Attempt);
    }

    [Fact]
    public async Task Renewing_a_lease_keeps_its_entry_from_being_claimed()
    {
        var storage = await CreateAsync(o => o.ClaimMinIdle = TimeSpan.FromMilliseconds(300));
        await AddProjectAsync(storage, AgentRole.Developer);
        var lease = await LeaseAsync(storage, "w1");
        await Task.Delay(400, Ct);

        await storage.Queue.RenewAsync(lease, Lease, Ct);
        Assert.Null(await storage.Queue.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct));

        var pending = await storage.Redis.StreamPendingMessagesAsync(storage.Stream.StreamKey, storage.Stream.Group, 10, RedisValue.Null);
        Assert.Equal("w1", Assert.Single(pending).ConsumerName.ToString());
        Assert.Equal(1, Assert.Single(pending).DeliveryCount);
    }

    [Fact]
    public async Task An_item_delivered_more_than_MaxDeliveries_times_without_a_commit_is_moved_aside_with_the_reason_and_stays_in_the_store()
    {
        var storage = await CreateAsync(o => o.MaxDeliveries = 2);
        var (_, items) = await AddProjectAsync(storage, AgentRole.Developer);

        var first = await LeaseAsync(storage, "w1");      // delivery 1
        _time.Advance(Lease);
        var second = await LeaseAsync(storage, "w2");     // delivery 2: the claim of a lapsed lease
        _time.Advance(Lease);
        var third = await storage.Queue.TryLeaseAsync(new LeaseRequest("w3", Lease), Ct); // delivery 3: poison

        Assert.Equal([1, 2], new[] { first.Attempt, second.Attempt });
        Assert.Null(third);
        Assert.Equal(1, storage.Queue.Poisoned);
        var dead = await storage.Redis.StreamRangeAsync(storage.Stream.DeadKey);
        var entry = Assert.Single(dead);
        Assert.Equal(items[0].Id, entry["item"].ToString());
        Assert.Equal(3, (long)entry["deliveries"]);
        Assert.Contains("MaxDeliveries is 2", entry["reason"].ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await storage.Redis.StreamLengthAsync(storage.Stream.StreamKey));
        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        Assert.Null(await storage.Queue.TryLeaseAsync(new LeaseRequest("w4", Lease), Ct));
    }

    [Fact]
    public async Task Trimming_drops_acknowledged_entries_and_never_a_pending_or_undelivered_one()
    {
        var storage = await CreateAsync(o => o.ReadBatchSize = 1);
        await AddProjectAsync(storage, AgentRole.Developer, AgentRole.Developer, AgentRole.Developer, AgentRole.Developer, AgentRole.Developer);
        var all = await storage.Redis.StreamRangeAsync(storage.Stream.StreamKey);
        Assert.Equal(5, all.Length);
        await LeaseAsync(storage, "w1");
        await LeaseAsync(storage, "w1");
        await LeaseAsync(storage, "w1");
        // The first entry acknowledged but left in the stream (as XACK alone does): trimming may drop it.
        await storage.Redis.StreamAcknowledgeAsync(storage.Stream.StreamKey, storage.Stream.Group, all[0].Id);

        long trimmed = await storage.Stream.TrimAsync(Ct);

        var left = await storage.Redis.StreamRangeAsync(storage.Stream.StreamKey);
        Assert.Equal(1, trimmed);
        Assert.Equal(all.Skip(1).Select(e => e.Id.ToString()), left.Select(e => e.Id.ToString()));
        Assert.Equal(2, (await storage.Redis.StreamPendingAsync(storage.Stream.StreamKey, storage.Stream.Group)).PendingMessageCount);
    }

    [Fact]
    public async Task After_FLUSHALL_the_stream_is_rebuilt_from_the_store_and_every_item_runs_exactly_once()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var storage = await CreateAsync(connection: connection);
        var (created, items) = await AddProjectAsync(storage, AgentRole.Developer, AgentRole.Tester, AgentRole.Designer, AgentRole.DevOps);
        var running = await LeaseAsync(storage, "w1");
        int rebuilds = storage.Runtime.Relay.Rebuilds;

        await connection.GetServer(connection.GetEndPoints()[0]).FlushAllDatabasesAsync();

        var committed = await DrainAsync(storage, created.ProjectId, running);

        Assert.Equal(items.Select(i => i.Id).Order(), committed.Order());
        Assert.Equal(rebuilds + 1, storage.Runtime.Relay.Rebuilds);
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    [Fact]
    public async Task After_a_Redis_restart_without_persistence_the_stream_is_rebuilt_and_every_item_runs_exactly_once()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",abortConnect=false");
        var storage = await CreateAsync(connection: connection);
        var (created, items) = await AddProjectAsync(storage, AgentRole.Developer, AgentRole.Tester, AgentRole.Designer);
        var running = await LeaseAsync(storage, "w1");
        int rebuilds = storage.Runtime.Relay.Rebuilds;

        await server.RestartAsync();
        await WaitConnectedAsync(connection);

        var committed = await DrainAsync(storage, created.ProjectId, running);

        Assert.Equal(items.Select(i => i.Id).Order(), committed.Order());
        Assert.True(storage.Runtime.Relay.Rebuilds > rebuilds, "The stream was rebuilt.");
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    [Fact]
    public async Task While_Redis_is_down_workers_lease_from_the_store_and_nothing_is_lost_or_doubled()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",abortConnect=false,connectTimeout=300,syncTimeout=500");
        var storage = await CreateAsync(o => o.MaxRetryAttempts = 1, connection);
        var (created, items) = await AddProjectAsync(storage, AgentRole.Developer, AgentRole.Tester);
        server.Kill();

        var lease = await LeaseAsync(storage, "w1");
        var snapshot = created.Snapshot;
        var done = ProjectCommits.Complete(snapshot, lease, Now);
        await storage.Store.CommitAsync(done, Ct);
        Assert.True(storage.Queue.Fallbacks >= 1, "The lease came from the store.");

        await server.RestartAsync();
        await WaitConnectedAsync(connection);
        var committed = await DrainAsync(storage, created.ProjectId, null, done.Snapshot);
        committed.Add(lease.Item.Id);

        Assert.Equal(items.Select(i => i.Id).Order(), committed.Order());
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>Runs the queue dry with a few workers, committing each lease (and the one given), and returns the items committed, in order.</summary>
    private async Task<List<string>> DrainAsync(RedisSqliteStorage storage, ProjectId projectId, WorkLease? running, ProjectSnapshot? snapshot = null)
    {
        snapshot ??= (await storage.Store.GetAsync(projectId, Ct))!;
        var committed = new List<string>();
        var leases = new Queue<WorkLease>();
        if (running is not null)
        {
            leases.Enqueue(running);
        }

        for (int round = 0; round < 50 && await storage.Queue.CountAsync(Ct) > 0; round++)
        {
            foreach (var worker in new[] { "w1", "w2", "w3" })
            {
                if (await storage.Queue.TryLeaseAsync(new LeaseRequest(worker, Lease), Ct) is { } lease)
                {
                    leases.Enqueue(lease);
                }
            }

            while (leases.TryDequeue(out var lease))
            {
                var commit = ProjectCommits.Complete(snapshot, lease, Now);
                await storage.Store.CommitAsync(commit, Ct);
                snapshot = commit.Snapshot;
                committed.Add(lease.Item.Id);
            }

            if (round > 0)
            {
                await Task.Delay(100, Ct);
            }
        }

        return committed;
    }

    private async Task<RedisSqliteStorage> CreateAsync(Action<RedisQueueOptions>? configure = null, IConnectionMultiplexer? connection = null)
    {
        var storage = await RedisSqliteStorage.CreateAsync(_time, configure, connection);
        _created.Add(storage);
        return storage;
    }

    private async Task<(ProjectCommit Created, WorkItem[] Items)> AddProjectAsync(RedisSqliteStorage storage, params AgentRole[] roles)
    {
        var id = ProjectId.New();
        var items = roles.Select((r, i) => ProjectCommits.Item(id, r, Now, $"item {i}")).ToArray();
        var created = ProjectCommits.Create(id, Now, items);
        await storage.Store.CommitAsync(created, Ct);
        return (created, items);
    }

    private static async Task<WorkLease> LeaseAsync(RedisSqliteStorage storage, string worker)
    {
        var lease = await storage.Queue.TryLeaseAsync(new LeaseRequest(worker, Lease), Ct);
        Assert.True(lease is not null, $"Worker '{worker}' got no lease.");
        return lease;
    }

    private static async Task WaitConnectedAsync(ConnectionMultiplexer connection)
    {
        for (int i = 0; i < 100 && !connection.IsConnected; i++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.True(connection.IsConnected, "The client reconnected to the restarted Redis.");
    }
}
