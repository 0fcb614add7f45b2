using System.Text.Json;
using static VirtualItCompany.Storage.PostgreSql.PostgreSqlDatabase;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>
/// The work queue: an item is leased by one short statement that picks the oldest available row with
/// <c>FOR UPDATE SKIP LOCKED</c> (workers never wait on each other's rows) and stamps it with a fresh token of the
/// <c>lease_tokens</c> sequence, the fence every later renewal and commit is checked against.
/// </summary>
internal sealed partial class PostgreSqlCompanyStore
{
    // The named item is found by its unique index, the oldest by the partial index on ready items: two statements, each with its own plan.
    private const string LeaseOldestSql = LeaseSqlHead + "ORDER BY sequence LIMIT 1" + LeaseSqlTail;
    private const string LeaseNamedSql = LeaseSqlHead + "AND item_id = $5" + LeaseSqlTail;

    private const string LeaseSqlHead = """
        WITH next AS (
            SELECT sequence FROM work_items
            WHERE ((lease_token IS NULL AND available_at <= $1) OR (lease_token IS NOT NULL AND lease_expires_at <= $1))
              AND NOT (role = ANY ($2))

        """;

    private const string LeaseSqlTail = """

            FOR UPDATE SKIP LOCKED)
        UPDATE work_items w
        SET lease_token = nextval('lease_tokens'), lease_worker = $3, lease_expires_at = $4, attempts = w.attempts + 1
        FROM next WHERE w.sequence = next.sequence
        RETURNING w.item, w.lease_token, w.attempts, (SELECT s.snapshot FROM snapshots s WHERE s.project_id = w.project_id), w.journaled;
        """;

    // Timers take at most ~49 days; a longer wait returns after a day (waking without new work is allowed).
    private static readonly TimeSpan MaxWaitSlice = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValueTask<WorkLease?> TryLeaseAsync(LeaseRequest request, CancellationToken cancellationToken = default) =>
        LeaseAsync(request, workItemId: null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<WorkLease?> TryLeaseItemAsync(string workItemId, LeaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        return LeaseAsync(request, workItemId, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<QueuedWorkItem?> FindAsync(string workItemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        return await _database.RunAsync(
            async (c, _, ct) =>
            {
                await using var command = Command(c, "SELECT item, available_at, lease_expires_at FROM work_items WHERE item_id = $1;", workItemId);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadQueued(reader) : null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<QueuedWorkItem> ListQueuedAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Read whole, in one statement (a retried read starts over rather than yielding an item twice).
        var items = await _database.RunAsync(
            async (c, _, ct) =>
            {
                await using var command = Command(c, "SELECT item, available_at, lease_expires_at FROM work_items ORDER BY sequence;");
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var found = new List<QueuedWorkItem>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    found.Add(ReadQueued(reader));
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }

    private QueuedWorkItem ReadQueued(Npgsql.NpgsqlDataReader reader) => new(
        JsonSerializer.Deserialize(reader.GetString(0), _itemJson)!,
        UnixTime.ToTime(reader.GetInt64(1)),
        reader.IsDBNull(2) ? null : UnixTime.ToTime(reader.GetInt64(2)));

    /// <summary>Leases the oldest available item the worker can take, or the named one if it is available.</summary>
    private async ValueTask<WorkLease?> LeaseAsync(LeaseRequest request, string? workItemId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        // Computed before anything is leased, so an absurd duration fails without touching an item.
        _ = _database.Time.GetUtcNow() + request.Duration;
        string[] excluded = request.ExcludedRoles is { Count: > 0 } roles ? [.. roles.Select(r => r.Value)] : [];
        string sql = workItemId is null ? LeaseOldestSql : LeaseNamedSql;
        return await _database.RunAsync(
            async (c, _, ct) =>
            {
                var now = _database.Time.GetUtcNow();
                long expiresAt = UnixTime.Ceiling(now + request.Duration);
                // A lapsed lease was counted when it was taken; this lease counts too. If the reply is lost after the
                // statement committed, the lease is held by nobody and lapses: the item runs later, never twice at once.
                await using var command = workItemId is null
                    ? Command(c, sql, UnixTime.Floor(now), Parameters.TextArray(excluded), request.WorkerId, expiresAt)
                    : Command(c, sql, UnixTime.Floor(now), Parameters.TextArray(excluded), request.WorkerId, expiresAt, workItemId);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }

                var item = JsonSerializer.Deserialize(reader.GetString(0), _itemJson)!;
                // The project as the statement found it, in the same round trip: the worker does not read it again.
                var project = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), _snapshotJson);
                // The mark is read from the row this statement locked and updated, its newest version: a record of an earlier
                // try either committed before (and marked it) or is refused by its fence. Unmarked, the journal holds nothing of
                // the item, and the worker need not read it.
                IReadOnlyList<ModelCallRecord>? journaled = reader.GetBoolean(4) ? null : [];
                return new WorkLease(item, reader.GetInt64(1), request.WorkerId, UnixTime.ToTime(expiresAt), reader.GetInt32(2)) { Project = project, JournaledCalls = journaled };
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var signal = _database.WorkChanged;
        var changed = signal.Next;
        if (signal.TryConsume())
        {
            return;
        }

        // Wake for the next retry time or lease expiry too; work other processes enqueue or release wakes it by NOTIFY.
        var now = _database.Time.GetUtcNow();
        long? due = await _database.RunAsync(
            async (c, _, ct) =>
            {
                await using var command = Command(c, """
                    SELECT least(
                        (SELECT min(available_at) FROM work_items WHERE lease_token IS NULL AND available_at > $1),
                        (SELECT min(lease_expires_at) FROM work_items WHERE lease_token IS NOT NULL AND lease_expires_at > $1));
                    """, UnixTime.Floor(now));
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long value ? value : (long?)null;
            },
            cancellationToken).ConfigureAwait(false);
        // A deadline on the clock, not a duration: the clock may have moved while the query ran.
        var deadline = maxWait < MaxWaitSlice ? now + maxWait : now + MaxWaitSlice;
        if (due is { } next && UnixTime.ToTime(next) < deadline)
        {
            deadline = UnixTime.ToTime(next);
        }

        var left = deadline - _database.Time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await changed.WaitAsync(left, _database.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Waking without new work is fine: the caller tries to lease again.
        }

        signal.Clear();
    }

    /// <inheritdoc />
    public async ValueTask<WorkLease> RenewAsync(WorkLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        _ = _database.Time.GetUtcNow() + duration;
        return await _database.RunAsync(
            async (c, _, ct) =>
            {
                var now = _database.Time.GetUtcNow();
                long expiresAt = UnixTime.Ceiling(now + duration);
                int renewed = await ExecuteAsync(c, "UPDATE work_items SET lease_expires_at = $3 WHERE item_id = $1 AND lease_token = $2 AND lease_expires_at > $4;", ct, lease.Item.Id, lease.Token, expiresAt, UnixTime.Floor(now)).ConfigureAwait(false);
                return renewed == 1 ? lease with { ExpiresAt = UnixTime.ToTime(expiresAt) } : throw new LeaseLostException(lease);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(WorkLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        bool released = await _database.InTransactionAsync(
            async (c, _, ct) =>
            {
                // Given back untouched: that lease was no attempt. A lost lease (or one already released by a try whose reply was lost) matches no row.
                int rows = await ExecuteAsync(c, """
                    UPDATE work_items SET lease_token = NULL, lease_worker = NULL, lease_expires_at = NULL, attempts = attempts - 1
                    WHERE item_id = $1 AND lease_token = $2;
                    """, ct, lease.Item.Id, lease.Token).ConfigureAwait(false);
                if (rows > 0)
                {
                    await NotifyWorkAsync(c, ct).ConfigureAwait(false);
                }

                return rows > 0;
            },
            cancellationToken).ConfigureAwait(false);
        if (released)
        {
            _database.WorkChanged.Raise();
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        await _database.RunAsync((c, _, ct) => ScalarAsync<long>(c, "SELECT count(*) FROM work_items;", ct), cancellationToken).ConfigureAwait(false);
}
