using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>The work queue: items leased oldest first inside a write transaction, so that no two workers, in any process, hold the same item.</summary>
internal sealed partial class SqliteCompanyStore : IAddressableWorkQueue
{
    // Timers take at most ~49 days; a longer wait returns after a day (waking without new work is allowed).
    private static readonly TimeSpan MaxWaitSlice = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public async ValueTask<WorkLease?> TryLeaseAsync(LeaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        // Computed before anything is leased, so an absurd duration fails without touching an item.
        _ = _database.Time.GetUtcNow() + request.Duration;
        string? excluded = request.ExcludedRoles is { Count: > 0 } roles ? JsonArrays.Of(roles.Select(r => r.Value)) : null;
        return ToLease(await _database.WriteAsync(context => Lease(context.Connection, request, excluded, itemId: null), cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async ValueTask<WorkLease?> TryLeaseItemAsync(string workItemId, LeaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        _ = _database.Time.GetUtcNow() + request.Duration;
        string? excluded = request.ExcludedRoles is { Count: > 0 } roles ? JsonArrays.Of(roles.Select(r => r.Value)) : null;
        return ToLease(await _database.WriteAsync(context => Lease(context.Connection, request, excluded, workItemId), cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public ValueTask<QueuedWorkItem?> FindAsync(string workItemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_database.Read(c =>
        {
            using var command = c.Command("SELECT item, available_at, lease_expires_at FROM work_items WHERE item_id = $item;").With("$item", workItemId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadQueued(reader) : null;
        }));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<QueuedWorkItem> ListQueuedAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var items = _database.Read(c =>
        {
            using var command = c.Command("SELECT item, available_at, lease_expires_at FROM work_items ORDER BY sequence;");
            using var reader = command.ExecuteReader();
            var found = new List<QueuedWorkItem>();
            while (reader.Read())
            {
                found.Add(ReadQueued(reader));
            }

            return found;
        });
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
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

        // Wake for the next retry time or lease expiry too; work that another process enqueues is seen after maxWait at the latest.
        // Only a retry waits for a later time (it follows a lease, so attempts > 0): work_items_delayed holds just those.
        var now = _database.Time.GetUtcNow();
        long? due = _database.Read(c =>
        {
            using var command = c.Command("""
                SELECT min(due) FROM (
                    SELECT min(available_at) AS due FROM work_items WHERE lease_token IS NULL AND attempts > 0 AND available_at > $now
                    UNION ALL
                    SELECT min(lease_expires_at) FROM work_items WHERE lease_token IS NOT NULL AND lease_expires_at > $now);
                """).With("$now", UnixTime.Floor(now));
            return command.Int64OrNull();
        });
        if (due is { } next && UnixTime.ToTime(next) - now < maxWait)
        {
            maxWait = UnixTime.ToTime(next) - now;
        }

        if (maxWait <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await changed.WaitAsync(maxWait < MaxWaitSlice ? maxWait : MaxWaitSlice, _database.Time, cancellationToken).ConfigureAwait(false);
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
        return await _database.WriteAsync(
            context =>
            {
                var now = _database.Time.GetUtcNow();
                EnsureLeaseHeld(context.Connection, lease, UnixTime.Floor(now));
                long expiresAt = UnixTime.Ceiling(now + duration);
                using var command = context.Connection.Command("UPDATE work_items SET lease_expires_at = $expires WHERE item_id = $item;")
                    .With("$expires", expiresAt)
                    .With("$item", lease.Item.Id);
                command.ExecuteNonQuery();
                return lease with { ExpiresAt = UnixTime.ToTime(expiresAt) };
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(WorkLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await _database.WriteAsync(
            context =>
            {
                // Given back untouched: that lease was no attempt. A lost lease matches no row and is ignored.
                using var command = context.Connection.Command("""
                    UPDATE work_items SET lease_token = NULL, lease_worker = NULL, lease_expires_at = NULL, attempts = attempts - 1
                    WHERE item_id = $item AND lease_token = $token;
                    """).With("$item", lease.Item.Id).With("$token", lease.Token);
                context.WorkChanged = command.ExecuteNonQuery() > 0;
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_database.Read(c =>
        {
            using var command = c.Command("SELECT count(*) FROM work_items;");
            return command.Int64OrNull() ?? 0;
        }));
    }

    private QueuedWorkItem ReadQueued(SqliteDataReader reader) => new(
        JsonSerializer.Deserialize(reader.GetString(0), _itemJson)!,
        UnixTime.ToTime(reader.GetInt64(1)),
        reader.IsDBNull(2) ? null : UnixTime.ToTime(reader.GetInt64(2)));

    /// <summary>Leases the oldest available item the worker can take (or the named one, if available): waiting and due, or held by a lease that lapsed.</summary>
    /// <remarks>Runs on the writer: the item's JSON is read back by the caller (<see cref="ToLease"/>), not here.</remarks>
    private LeasedRow? Lease(SqliteConnection connection, LeaseRequest request, string? excludedRoles, string? itemId)
    {
        var now = _database.Time.GetUtcNow();
        long nowMs = UnixTime.Floor(now);
        Candidate? found;
        if (itemId is not null)
        {
            found = Find(connection.Command("""
                SELECT sequence, item, attempts, (SELECT version FROM snapshots WHERE snapshots.project_id = work_items.project_id) FROM work_items
                WHERE item_id = $item
                  AND ((lease_token IS NULL AND available_at <= $now) OR lease_expires_at <= $now)
                  AND ($excluded IS NULL OR role NOT IN (SELECT value FROM json_each($excluded)));
                """).With("$item", itemId), nowMs, excludedRoles);
        }
        else
        {
            // The oldest waiting item that is due (the partial index in enqueue order stops at the first), and the oldest
            // item whose lease lapsed (usually none); the older of the two is leased.
            var waiting = Find(connection.Command("""
                SELECT sequence, item, attempts, (SELECT version FROM snapshots WHERE snapshots.project_id = work_items.project_id) FROM work_items INDEXED BY work_items_ready
                WHERE lease_token IS NULL AND available_at <= $now
                  AND ($excluded IS NULL OR role NOT IN (SELECT value FROM json_each($excluded)))
                ORDER BY sequence
                LIMIT 1;
                """), nowMs, excludedRoles);
            var lapsed = Find(connection.Command("""
                SELECT sequence, item, attempts, (SELECT version FROM snapshots WHERE snapshots.project_id = work_items.project_id) FROM work_items
                WHERE lease_token IS NOT NULL AND lease_expires_at <= $now
                  AND ($excluded IS NULL OR role NOT IN (SELECT value FROM json_each($excluded)))
                ORDER BY sequence
                LIMIT 1;
                """), nowMs, excludedRoles);
            found = waiting is { } w && (lapsed is not { } l || w.Sequence < l.Sequence) ? waiting : lapsed;
        }

        if (found is not { } candidate)
        {
            return null;
        }

        // A lapsed lease was counted when it was taken; this lease counts too.
        int attempt = candidate.Attempts + 1;
        long token;
        using (var command = connection.Command("UPDATE counters SET value = value + 1 WHERE name = 'lease_token' RETURNING value;"))
        {
            token = command.Int64OrNull() ?? throw new InvalidOperationException("The lease token counter is missing.");
        }

        long expiresAt = UnixTime.Ceiling(now + request.Duration);
        using (var command = connection.Command("""
            UPDATE work_items SET lease_token = $token, lease_worker = $worker, lease_expires_at = $expires, attempts = $attempt
            WHERE sequence = $sequence;
            """))
        {
            command.With("$token", token)
                .With("$worker", request.WorkerId)
                .With("$expires", expiresAt)
                .With("$attempt", attempt)
                .With("$sequence", candidate.Sequence)
                .ExecuteNonQuery();
        }

        return new LeasedRow(candidate.Json, token, request.WorkerId, expiresAt, attempt, candidate.ProjectVersion);

        static Candidate? Find(SqliteCommand command, long nowMs, string? excludedRoles)
        {
            using (command)
            {
                command.With("$now", nowMs).With("$excluded", excludedRoles);
                using var reader = command.ExecuteReader();
                return reader.Read() ? new Candidate(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)) : null;
            }
        }
    }

    /// <summary>
    /// Turns what the writer leased into the lease, on the caller's thread. The lease read the project's version in its
    /// transaction: when the snapshot this instance holds is that version, the lease carries it (WorkLease.Project) and the
    /// worker does not read the project again.
    /// </summary>
    private WorkLease? ToLease(LeasedRow? row)
    {
        if (row is not { } r)
        {
            return null;
        }

        var item = JsonSerializer.Deserialize(r.Json, _itemJson)!;
        var held = r.ProjectVersion is { } version && _latest.TryGetValue(item.ProjectId, out var snapshot) && snapshot.Version == version ? snapshot : null;
        return new WorkLease(item, r.Token, r.WorkerId, UnixTime.ToTime(r.ExpiresAt), r.Attempt) { Project = held };
    }

    private readonly record struct Candidate(long Sequence, string Json, int Attempts, long? ProjectVersion);

    private readonly record struct LeasedRow(string Json, long Token, string WorkerId, long ExpiresAt, int Attempt, long? ProjectVersion);
}
