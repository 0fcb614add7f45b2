using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace VirtualItCompany.Storage.Redis;

/// <summary>
/// Feeds the stream from the authoritative store: moves the outbox's work messages to Redis and acknowledges them in the
/// outbox only after Redis took them, and rebuilds the stream from the store's queue when Redis lost it.
/// </summary>
internal sealed class OutboxRelay(WorkStream stream, IOutbox outbox, IAddressableWorkQueue store, ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    /// <summary>Gets how many times this process rebuilt the stream from the store.</summary>
    public int Rebuilds { get; private set; }

    /// <summary>Forgets that the stream was checked, so the next use checks it (after a Redis fault).</summary>
    public void Invalidate() => _ready = false;

    /// <summary>Makes sure the stream, its group and its marker exist, rebuilding the stream from the store when Redis lost them.</summary>
    /// <exception cref="RedisQueueException">Another process is rebuilding the stream; its users lease from the store meanwhile.</exception>
    public async ValueTask EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (!await TryEnsureReadyAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new RedisQueueException($"Another process is rebuilding the Redis work stream '{stream.StreamKey}' from the store; try again shortly.");
        }
    }

    /// <summary>As <see cref="EnsureReadyAsync"/>, but returns <see langword="false"/> instead of throwing when another process is rebuilding the stream.</summary>
    public async ValueTask<bool> TryEnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return true;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ready)
            {
                if (!await stream.EnsureGroupAsync(cancellationToken).ConfigureAwait(false) && !await RebuildAsync(cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                _ready = true;
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Moves the waiting outbox messages to Redis, in sequence order, and acknowledges each batch in the outbox once Redis has it.</summary>
    /// <returns>How many messages were moved.</returns>
    public async ValueTask<int> PumpAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int moved = 0;
            while (true)
            {
                var entries = await outbox.ReadAsync(stream.Options.OutboxTopic, stream.Options.RelayBatchSize, cancellationToken).ConfigureAwait(false);
                if (entries.Count == 0)
                {
                    return moved;
                }

                var messages = entries.Select(Parse).ToList();
                await stream.RunAsync(
                    async db =>
                    {
                        var batch = db.CreateBatch();
                        var adds = messages.Where(m => m is not null).Select(m => stream.AddAsync(batch, m!, "outbox")).ToList();
                        batch.Execute();
                        await Task.WhenAll(adds).ConfigureAwait(false);
                        return true;
                    },
                    cancellationToken).ConfigureAwait(false);
                // Only now: a crash before this line relays the batch again (a duplicate entry, harmless), never loses it.
                await outbox.AcknowledgeAsync(stream.Options.OutboxTopic, [.. entries.Select(e => e.Sequence)], cancellationToken).ConfigureAwait(false);
                moved += entries.Count;
                if (entries.Count < stream.Options.RelayBatchSize)
                {
                    return moved;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Puts every item on the store's queue back on the stream (or the delayed set): the store is the truth, and its fencing keeps a duplicate from running twice.</summary>
    /// <returns><see langword="false"/> when another process holds the rebuild lock (nothing was done here).</returns>
    private async ValueTask<bool> RebuildAsync(CancellationToken cancellationToken)
    {
        // One process rebuilds at a time; another that finds the lock taken waits for the marker on its next call.
        bool locked = await stream.RunAsync(db => db.StringSetAsync(stream.RebuildLockKey, Environment.ProcessId, TimeSpan.FromMinutes(1), When.NotExists), cancellationToken).ConfigureAwait(false);
        if (!locked)
        {
            return false;
        }

        // The outbox's waiting messages were committed before the queue is read below, so the queue's state covers them:
        // they are acknowledged with the rebuild instead of being relayed as duplicates.
        var covered = new List<long>();
        while (true)
        {
            var waiting = await outbox.ReadAsync(stream.Options.OutboxTopic, 10_000, cancellationToken).ConfigureAwait(false);
            var fresh = waiting.Where(e => covered.Count == 0 || e.Sequence > covered[^1]).Select(e => e.Sequence).ToList();
            covered.AddRange(fresh);
            if (waiting.Count < 10_000 || fresh.Count == 0)
            {
                break;
            }
        }

        int count = 0;
        var now = stream.Time.GetUtcNow();
        var batch = new List<WorkMessage>();
        await foreach (var queued in store.ListQueuedAsync(cancellationToken).ConfigureAwait(false))
        {
            long? due = queued.AvailableAt > now ? WorkStream.CeilingMs(queued.AvailableAt) : null;
            batch.Add(new WorkMessage(queued.Item.Id, queued.Item.ProjectId.Value, queued.Item.Role.Value, due));
            count++;
        }

        await stream.RunAsync(
            async db =>
            {
                var redisBatch = db.CreateBatch();
                var adds = batch.Select(m => stream.AddAsync(redisBatch, m, "rebuild")).ToList();
                redisBatch.Execute();
                await Task.WhenAll(adds).ConfigureAwait(false);
                await db.StringSetAsync(stream.MarkerKey, stream.Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
                await db.KeyDeleteAsync(stream.RebuildLockKey).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (covered.Count > 0)
        {
            await outbox.AcknowledgeAsync(stream.Options.OutboxTopic, covered, cancellationToken).ConfigureAwait(false);
        }

        Rebuilds++;
        logger.LogWarning(
            "The Redis work stream '{Stream}' had no marker (new, restarted without persistence, or flushed): rebuilt it from the store's queue with {Count} items. The store's leases keep an item that was already running from running twice.",
            stream.StreamKey.ToString(),
            count);
        return true;
    }

    private WorkMessage? Parse(OutboxEntry entry)
    {
        try
        {
            return JsonSerializer.Deserialize(entry.Message.Payload, WorkMessageJson.Default.WorkMessage);
        }
        catch (JsonException ex)
        {
            // Not ours: never silently dropped, but it cannot be delivered; the store's queue still holds any real item.
            logger.LogError(ex, "Outbox message {Sequence} on topic '{Topic}' is not a work message and was not relayed: {Payload}", entry.Sequence, entry.Message.Topic, entry.Message.Payload);
            return null;
        }
    }
}
