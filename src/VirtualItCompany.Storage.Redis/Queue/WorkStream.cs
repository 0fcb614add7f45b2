using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using StackExchange.Redis;

namespace VirtualItCompany.Storage.Redis;

/// <summary>The Redis side of the queue: the stream of deliverable items and its consumer group, the delayed set of items waiting for their retry time, and the dead-letter stream of poison items.</summary>
/// <remarks>Every write is one round trip and safe to repeat: a duplicate entry is harmless because the store's lease decides who runs an item.</remarks>
internal sealed class WorkStream
{
    // Moves due members of the delayed set onto the stream, atomically; answers -1 when the stream's marker is gone (Redis lost its data).
    private const string PromoteScript = """
        if redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
        for _, member in ipairs(due) do
          local m = cjson.decode(member)
          redis.call('XADD', KEYS[2], '*', 'item', m.item, 'project', m.project, 'role', m.role, 'kind', 'retry')
          redis.call('ZREM', KEYS[1], member)
        end
        return #due
        """;

    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;

    public WorkStream(IConnectionMultiplexer connection, RedisQueueOptions options, TimeProvider time, ILogger logger)
    {
        Connection = connection;
        Options = options;
        Time = time;
        _logger = logger;
        StreamKey = options.KeyPrefix + ":work";
        DelayedKey = options.KeyPrefix + ":work:delayed";
        DeadKey = options.KeyPrefix + ":work:dead";
        MarkerKey = options.KeyPrefix + ":work:marker";
        RebuildLockKey = options.KeyPrefix + ":work:rebuilding";
        Group = options.ConsumerGroup;
        // Backoff waits for a real server to come back, so it runs on the system clock whatever clock the leases use.
        _retry = new ResiliencePipelineBuilder { TimeProvider = TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RedisConnectionException>().Handle<RedisTimeoutException>(),
                MaxRetryAttempts = Math.Max(options.MaxRetryAttempts, 1),
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    _logger.LogWarning(args.Outcome.Exception, "Redis call failed (attempt {Attempt}); retrying in {Delay}.", args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
        if (options.MaxRetryAttempts == 0)
        {
            _retry = ResiliencePipeline.Empty;
        }
    }

    public IConnectionMultiplexer Connection { get; }

    public RedisQueueOptions Options { get; }

    public TimeProvider Time { get; }

    public RedisKey StreamKey { get; }

    public RedisKey DelayedKey { get; }

    public RedisKey DeadKey { get; }

    public RedisKey MarkerKey { get; }

    public RedisKey RebuildLockKey { get; }

    public RedisValue Group { get; }

    public IDatabase Db => Connection.GetDatabase();

    /// <summary>Runs a Redis call with retries and backoff for transient faults.</summary>
    public ValueTask<T> RunAsync<T>(Func<IDatabase, Task<T>> call, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(async (state, _) => await state.call(state.db).ConfigureAwait(false), (call, db: Db), cancellationToken);

    /// <summary>Creates the stream and its group when missing; tells whether the marker exists (false: Redis lost the queue and it must be rebuilt).</summary>
    public async ValueTask<bool> EnsureGroupAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(db => db.StreamCreateConsumerGroupAsync(StreamKey, Group, "0-0", createStream: true), cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists already.
        }

        return await RunAsync(db => db.KeyExistsAsync(MarkerKey), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds an item to the stream now, or to the delayed set until its time.</summary>
    public Task AddAsync(IDatabaseAsync db, WorkMessage message, string kind)
    {
        if (message.DueAtMs is { } due && due > Time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            // One member per item and role: a later retry time replaces an earlier one.
            string member = System.Text.Json.JsonSerializer.Serialize(message with { DueAtMs = null }, WorkMessageJson.Default.WorkMessage);
            return db.SortedSetAddAsync(DelayedKey, member, due);
        }

        return db.StreamAddAsync(StreamKey, Fields(message.Item, message.Project, message.Role, kind));
    }

    /// <summary>Moves the delayed items whose time has come to the stream; returns -1 when the marker is missing.</summary>
    public async ValueTask<long> PromoteDueAsync(CancellationToken cancellationToken)
    {
        long now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = await RunAsync(db => db.ScriptEvaluateAsync(PromoteScript, [DelayedKey, StreamKey, MarkerKey], [now]), cancellationToken).ConfigureAwait(false);
        return (long)result;
    }

    /// <summary>Acknowledges an entry and deletes it, so it is neither redelivered nor kept.</summary>
    public async ValueTask AcknowledgeAsync(RedisValue entryId, CancellationToken cancellationToken)
    {
        await RunAsync(
            async db =>
            {
                var transaction = db.CreateTransaction();
                _ = transaction.StreamAcknowledgeAsync(StreamKey, Group, entryId);
                _ = transaction.StreamDeleteAsync(StreamKey, [entryId]);
                return await transaction.ExecuteAsync().ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts an entry back at the end of the stream for another worker (this one cannot take it), acknowledging the delivered copy.</summary>
    public async ValueTask GiveBackAsync(StreamEntry entry, CancellationToken cancellationToken)
    {
        await RunAsync(
            async db =>
            {
                var transaction = db.CreateTransaction();
                _ = transaction.StreamAddAsync(StreamKey, Fields(entry["item"].ToString(), entry["project"].ToString(), entry["role"].ToString(), "given-back"));
                _ = transaction.StreamAcknowledgeAsync(StreamKey, Group, entry.Id);
                _ = transaction.StreamDeleteAsync(StreamKey, [entry.Id]);
                return await transaction.ExecuteAsync().ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves an entry that came before its item's time to the delayed set, acknowledging the delivered copy.</summary>
    public async ValueTask DelayAsync(StreamEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var message = new WorkMessage(entry["item"].ToString(), entry["project"].ToString(), entry["role"].ToString(), null);
        string member = System.Text.Json.JsonSerializer.Serialize(message, WorkMessageJson.Default.WorkMessage);
        await RunAsync(
            async db =>
            {
                var transaction = db.CreateTransaction();
                _ = transaction.SortedSetAddAsync(DelayedKey, member, CeilingMs(dueAt));
                _ = transaction.StreamAcknowledgeAsync(StreamKey, Group, entry.Id);
                _ = transaction.StreamDeleteAsync(StreamKey, [entry.Id]);
                return await transaction.ExecuteAsync().ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A time in Unix milliseconds, rounded up, so an item is never promoted before the store makes it available.</summary>
    public static long CeilingMs(DateTimeOffset time)
    {
        long ms = time.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms) < time ? ms + 1 : ms;
    }

    /// <summary>Moves a poison entry to the dead-letter stream, with why, and acknowledges it.</summary>
    public async ValueTask MoveAsideAsync(StreamEntry entry, long deliveries, string reason, CancellationToken cancellationToken)
    {
        await RunAsync(
            async db =>
            {
                var transaction = db.CreateTransaction();
                _ = transaction.StreamAddAsync(DeadKey,
                [
                    new("item", entry["item"]), new("project", entry["project"]), new("role", entry["role"]),
                    new("entry", entry.Id), new("deliveries", deliveries), new("reason", reason),
                    new("at", Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                ]);
                _ = transaction.StreamAcknowledgeAsync(StreamKey, Group, entry.Id);
                _ = transaction.StreamDeleteAsync(StreamKey, [entry.Id]);
                return await transaction.ExecuteAsync().ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Trims the stream below the oldest entry still needed (the oldest pending one, or the first not yet delivered): pending entries are never dropped.</summary>
    /// <returns>How many entries were trimmed.</returns>
    public async ValueTask<long> TrimAsync(CancellationToken cancellationToken)
    {
        var db = Db;
        var groups = await RunAsync(d => d.StreamGroupInfoAsync(StreamKey), cancellationToken).ConfigureAwait(false);
        var group = groups.FirstOrDefault(g => g.Name == Group);
        if (group.Name is null)
        {
            return 0;
        }

        var pending = await RunAsync(d => d.StreamPendingAsync(StreamKey, Group), cancellationToken).ConfigureAwait(false);
        var keep = Next(group.LastDeliveredId);
        if (pending.PendingMessageCount > 0 && Compare(pending.LowestPendingMessageId, keep) < 0)
        {
            keep = pending.LowestPendingMessageId;
        }

        return await RunAsync(d => d.StreamTrimByMinIdAsync(StreamKey, keep), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fields of a stream entry.</summary>
    public static NameValueEntry[] Fields(string item, string project, string role, string kind) =>
        [new("item", item), new("project", project), new("role", role), new("kind", kind)];

    /// <summary>The id right after an entry id (MINID keeps ids at or above it).</summary>
    private static RedisValue Next(RedisValue id)
    {
        var (ms, seq) = Parse(id);
        return $"{ms}-{seq + 1}";
    }

    private static int Compare(RedisValue a, RedisValue b)
    {
        var x = Parse(a);
        var y = Parse(b);
        return x.Ms != y.Ms ? x.Ms.CompareTo(y.Ms) : x.Seq.CompareTo(y.Seq);
    }

    private static (ulong Ms, ulong Seq) Parse(RedisValue id)
    {
        string text = id.ToString();
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? (ulong.Parse(text, System.Globalization.CultureInfo.InvariantCulture), 0)
            : (ulong.Parse(text.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture), ulong.Parse(text.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture));
    }
}
