using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace VirtualItCompany.Storage.Redis;

/// <summary>
/// The work queue delivered through a Redis stream with a consumer group, over a store whose queue stays the truth: a worker
/// reads an item's id from the stream (<c>XREADGROUP</c>), then leases that item in the store (fenced); the entry is
/// acknowledged (<c>XACK</c>) only after the store committed the item (<see cref="RedisFedProjectStore"/>); entries of dead
/// workers are claimed (<c>XAUTOCLAIM</c>) once idle and taken over when the store says their lease lapsed.
/// </summary>
internal sealed class RedisWorkQueue : IWorkQueue
{
    private readonly IAddressableWorkQueue _store;
    private readonly WorkStream _stream;
    private readonly OutboxRelay _relay;
    private readonly ILogger _logger;
    // Which stream entry delivered each item this process leased, to acknowledge it after the commit and keep it fresh on renewal.
    private readonly ConcurrentDictionary<string, RedisValue> _entries = new(StringComparer.Ordinal);
    private long _fallbacks;

    // Claiming idle entries before reading new ones: not on every lease (a round trip), at most this often per process.
    private static readonly TimeSpan MinClaimFirstInterval = TimeSpan.FromMilliseconds(100);
    private long _nextClaimFirstAtTicks; // UTC ticks; workers of the process share it

    public RedisWorkQueue(IAddressableWorkQueue store, WorkStream stream, OutboxRelay relay, ILogger logger)
    {
        _store = store;
        _stream = stream;
        _relay = relay;
        _logger = logger;
    }

    /// <summary>Gets how many leases were taken from the store directly because Redis could not be used.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    /// <summary>Gets how many entries were moved to the dead-letter stream by this process.</summary>
    public long Poisoned { get; private set; }

    /// <summary>Gets or sets a test hook that runs after the store committed an item and before its entry is acknowledged; when it throws, the acknowledgement is skipped (as if the process died there).</summary>
    internal Action<WorkLease>? BeforeAcknowledge { get; set; }

    /// <inheritdoc />
    public async ValueTask<WorkLease?> TryLeaseAsync(LeaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        try
        {
            return await LeaseFromStreamAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or RedisQueueException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // The store is the truth: while Redis is away, lease from it directly (its fencing still holds); the stream catches up later.
            _relay.Invalidate();
            Interlocked.Increment(ref _fallbacks);
            _logger.LogWarning(ex, "Redis could not deliver work ({Reason}); leasing from the store directly until it is back.", ex.Message);
            return await _store.TryLeaseAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        // Every enqueue is a commit of the authoritative store, which wakes its waiters (and knows retry times and lease expiries).
        _store.WaitForWorkAsync(maxWait, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<WorkLease> RenewAsync(WorkLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var renewed = await _store.RenewAsync(lease, duration, cancellationToken).ConfigureAwait(false);
        if (_entries.TryGetValue(lease.Item.Id, out var entryId))
        {
            try
            {
                // Resets the entry's idle time without counting a delivery, so no other worker claims it while the lease lives.
                await _stream.RunAsync(db => db.StreamClaimIdsOnlyAsync(_stream.StreamKey, _stream.Group, lease.WorkerId, 0, [entryId]), cancellationToken).ConfigureAwait(false);
            }
            catch (RedisException ex)
            {
                _logger.LogWarning(ex, "Could not refresh the Redis entry of work item {Item}; another worker may claim it and find it leased.", lease.Item.Id);
            }
        }

        return renewed;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(WorkLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await _store.ReleaseAsync(lease, cancellationToken).ConfigureAwait(false);
        if (_entries.TryRemove(lease.Item.Id, out var entryId))
        {
            try
            {
                var found = await _stream.RunAsync(db => db.StreamRangeAsync(_stream.StreamKey, entryId, entryId), cancellationToken).ConfigureAwait(false);
                if (found.Length == 1)
                {
                    await _stream.GiveBackAsync(found[0], cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RedisException ex)
            {
                _logger.LogWarning(ex, "Could not give the Redis entry of released work item {Item} back; it is claimed again once idle.", lease.Item.Id);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => _store.CountAsync(cancellationToken);

    /// <summary>Acknowledges the entry of an item the store has committed (settled or put back for a retry, which the commit's outbox re-delivers).</summary>
    public async ValueTask AcknowledgeCommittedAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        if (!_entries.TryRemove(lease.Item.Id, out var entryId))
        {
            return;
        }

        try
        {
            BeforeAcknowledge?.Invoke(lease);
        }
#pragma warning disable CA1031 // A test hook standing for a crash: whatever it throws, the acknowledgement is skipped.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        try
        {
            await _stream.AcknowledgeAsync(entryId, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            // The entry stays pending; the worker that claims it finds the item settled in the store and acknowledges it then.
            _logger.LogWarning(ex, "Could not acknowledge the Redis entry {Entry} of committed work item {Item}; it is dropped when next claimed.", entryId.ToString(), lease.Item.Id);
        }
    }

    private async ValueTask<WorkLease?> LeaseFromStreamAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        await _relay.PumpAsync(cancellationToken).ConfigureAwait(false);
        if (await _stream.PromoteDueAsync(cancellationToken).ConfigureAwait(false) < 0)
        {
            // The marker vanished: Redis restarted without its data or was flushed.
            _relay.Invalidate();
            await _relay.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            await _stream.PromoteDueAsync(cancellationToken).ConfigureAwait(false);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var consumer = (RedisValue)request.WorkerId;
        int batch = _stream.Options.ReadBatchSize;
        var minIdle = _stream.Options.ClaimMinIdle ?? request.Duration;

        // Entries idle long enough that their worker may be dead come first now and then (at most every quarter claim
        // interval per process), so a dead worker's items are taken over soon after their lease even while new work keeps
        // coming, as the store's queue would (oldest first); otherwise they are looked at when no new entry waits.
        var now = _stream.Time.GetUtcNow();
        long due = Interlocked.Read(ref _nextClaimFirstAtTicks);
        long next = (now + (minIdle / 4 > MinClaimFirstInterval ? minIdle / 4 : MinClaimFirstInterval)).UtcTicks;
        if (now.UtcTicks >= due && Interlocked.CompareExchange(ref _nextClaimFirstAtTicks, next, due) == due)
        {
            if (await ClaimIdleAsync(consumer, request, minIdle, seen, batch, cancellationToken).ConfigureAwait(false) is { } claimed)
            {
                return claimed;
            }
        }

        // New entries, oldest first; one at a time, so that no entry is left pending on this worker once it has its lease.
        for (int read = 0; read < batch; read++)
        {
            var entries = await ReadGroupAsync(consumer, 1, cancellationToken).ConfigureAwait(false);
            if (entries.Length == 0)
            {
                break;
            }

            var entry = entries[0];
            if (!seen.Add(entry["item"].ToString()))
            {
                // Given back earlier in this call: every waiting entry was looked at once.
                await _stream.GiveBackAsync(entry, cancellationToken).ConfigureAwait(false);
                break;
            }

            if (await TakeAsync(entry, request, deliveries: 1, minIdle, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                return lease;
            }
        }

        return await ClaimIdleAsync(consumer, request, minIdle, seen, batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims entries idle for <paramref name="minIdle"/> (<c>XAUTOCLAIM</c>) and leases the first whose store lease lapsed.</summary>
    private async ValueTask<WorkLease?> ClaimIdleAsync(RedisValue consumer, LeaseRequest request, TimeSpan minIdle, HashSet<string> seen, int batch, CancellationToken cancellationToken)
    {
        long idleMs = (long)minIdle.TotalMilliseconds;
        RedisValue start = "0-0";
        for (int claim = 0; claim < batch; claim++)
        {
            var claimed = await _stream.RunAsync(db => db.StreamAutoClaimAsync(_stream.StreamKey, _stream.Group, consumer, idleMs, start, 1), cancellationToken).ConfigureAwait(false);
            start = claimed.NextStartId;
            if (claimed.ClaimedEntries.Length == 1 && seen.Add(claimed.ClaimedEntries[0]["item"].ToString()))
            {
                var entry = claimed.ClaimedEntries[0];
                var counts = await DeliveriesAsync(consumer, claimed.ClaimedEntries, cancellationToken).ConfigureAwait(false);
                if (await TakeAsync(entry, request, counts.GetValueOrDefault(entry.Id.ToString(), 1), minIdle, cancellationToken).ConfigureAwait(false) is { } lease)
                {
                    return lease;
                }
            }

            if (start.IsNull || start == "0-0")
            {
                break;
            }
        }

        return null;
    }

    private async ValueTask<StreamEntry[]> ReadGroupAsync(RedisValue consumer, int batch, CancellationToken cancellationToken)
    {
        try
        {
            return await _stream.RunAsync(db => db.StreamReadGroupAsync(_stream.StreamKey, _stream.Group, consumer, StreamPosition.NewMessages, batch), cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // The group is gone (Redis lost its data between two calls): rebuild, then read again.
            _relay.Invalidate();
            await _relay.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            return await _stream.RunAsync(db => db.StreamReadGroupAsync(_stream.StreamKey, _stream.Group, consumer, StreamPosition.NewMessages, batch), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<Dictionary<string, long>> DeliveriesAsync(RedisValue consumer, StreamEntry[] entries, CancellationToken cancellationToken)
    {
        var first = entries[0].Id;
        var last = entries[^1].Id;
        var pending = await _stream.RunAsync(db => db.StreamPendingMessagesAsync(_stream.StreamKey, _stream.Group, entries.Length, consumer, first, last), cancellationToken).ConfigureAwait(false);
        return pending.ToDictionary(p => p.MessageId.ToString(), p => (long)p.DeliveryCount, StringComparer.Ordinal);
    }

    /// <summary>Tries to lease the item an entry delivers; settles the entry when it is stale, gives it back when this worker cannot take its role, sets it aside when it is poison.</summary>
    private async ValueTask<WorkLease?> TakeAsync(StreamEntry entry, LeaseRequest request, long deliveries, TimeSpan minIdle, CancellationToken cancellationToken)
    {
        string itemId = entry["item"].ToString();
        if (string.IsNullOrEmpty(itemId))
        {
            await _stream.MoveAsideAsync(entry, deliveries, "The entry names no work item.", cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (request.ExcludedRoles is { Count: > 0 } excluded && excluded.Contains(new AgentRole(entry["role"].ToString())))
        {
            await _stream.GiveBackAsync(entry, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (deliveries > _stream.Options.MaxDeliveries)
        {
            var state = await _store.FindAsync(itemId, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                await _stream.AcknowledgeAsync(entry.Id, cancellationToken).ConfigureAwait(false);
            }
            else if (!state.IsLeasedAt(_stream.Time.GetUtcNow()))
            {
                Poisoned++;
                string reason = $"Delivered {deliveries} times without a commit (MaxDeliveries is {_stream.Options.MaxDeliveries}): its workers keep dying or stalling on it.";
                await _stream.MoveAsideAsync(entry, deliveries, reason, cancellationToken).ConfigureAwait(false);
                _logger.LogError(
                    "Poison work item {Item} ({Role}, project {Project}): {Reason} Its entry was moved to the Redis stream '{Dead}' and is no longer delivered; the item stays on the store's queue. Inspect it, then delete the dead entry and put the item back with XADD {Stream} * item {Item} project {Project} role {Role} kind manual.",
                    itemId, entry["role"].ToString(), entry["project"].ToString(), reason, _stream.DeadKey.ToString(), _stream.StreamKey.ToString(), itemId, entry["project"].ToString(), entry["role"].ToString());
            }

            return null;
        }

        var lease = await _store.TryLeaseItemAsync(itemId, request, cancellationToken).ConfigureAwait(false);
        if (lease is not null)
        {
            _entries[itemId] = entry.Id;
            return lease;
        }

        var found = await _store.FindAsync(itemId, cancellationToken).ConfigureAwait(false);
        var now = _stream.Time.GetUtcNow();
        if (found is null)
        {
            // Settled or set aside already (a duplicate, or a commit whose acknowledgement was lost).
            await _stream.AcknowledgeAsync(entry.Id, cancellationToken).ConfigureAwait(false);
        }
        else if (!found.IsLeasedAt(now) && found.AvailableAt > now)
        {
            // Early (its retry time has not come): it waits in the delayed set until the store's time for it.
            await _stream.DelayAsync(entry, found.AvailableAt, cancellationToken).ConfigureAwait(false);
        }

        else if (found.LeaseExpiresAt is { } expires && expires > now)
        {
            // Another worker's live lease holds it: the entry stays pending and is claimed again once idle. Reading or
            // claiming it just made its idle time zero, so left alone it would become claimable a whole ClaimMinIdle
            // after this, up to that long after the lease lapses (a dead worker's items were taken over at about twice the
            // lease). Its idle time is set so that it becomes claimable when the lease lapses; a renewal by the holder
            // resets it, as ever. JUSTID: not counted as a delivery.
            long idleMs = Math.Max(0L, (long)(minIdle - (expires - now)).TotalMilliseconds);
            await _stream.RunAsync(db => db.ExecuteAsync("XCLAIM", _stream.StreamKey, _stream.Group, request.WorkerId, 0, entry.Id, "IDLE", idleMs, "JUSTID"), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }
}
