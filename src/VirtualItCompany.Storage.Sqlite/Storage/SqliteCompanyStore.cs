using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>
/// The project store, work queue, outbox and model-call journal over one SQLite file: every <see cref="ProjectCommit"/>
/// is one write of a group-committed transaction, checked (version, lease token) and written all or nothing.
/// </summary>
/// <remarks>Safe for concurrent use, and beside other instances and processes that open the same file.</remarks>
internal sealed partial class SqliteCompanyStore : IProjectStore, IWorkQueue, IOutbox, IModelCallJournal, IBudgetCommitStore, IAbandonedCallSweep
{
    private readonly SqliteDatabase _database;
    private readonly JsonTypeInfo<ProjectSnapshot> _snapshotJson;
    private readonly JsonTypeInfo<WorkItem> _itemJson;

    private readonly SqliteBudgetAccount? _budget;

    // The newest snapshot this instance committed or read of each active project, so that reading a project back costs a
    // version check instead of its JSON (a snapshot is immutable; the store's row stays the truth: another process's commit
    // changes the version, and the row is read again). Bounded: emptied when it would pass MaxRememberedSnapshots, and a
    // snapshot past MaxRememberedSnapshotChars is not held.
    private readonly ConcurrentDictionary<ProjectId, ProjectSnapshot> _latest = new();

    private const int EventsPerInsert = 8;

    // The parameter names and the insert of 1..EventsPerInsert events, made once.
    private static readonly (string Version, string Event)[] EventParameters =
        [.. Enumerable.Range(0, EventsPerInsert).Select(i => ($"$version{i}", $"$event{i}"))];

    private static readonly string[] InsertEvents =
        [.. Enumerable.Range(1, EventsPerInsert).Select(n => "INSERT INTO events (project_id, version, event) VALUES "
            + string.Join(", ", EventParameters.Take(n).Select(p => $"($project, {p.Version}, {p.Event})")) + ";")];

    /// <summary>Gets or sets how many projects' snapshots are held at most (tests lower it).</summary>
    internal int MaxRememberedSnapshots { get; init; } = 1024;

    /// <summary>Gets or sets the largest snapshot held, in characters of its JSON: with the count, at most ~32 MB are held.</summary>
    internal int MaxRememberedSnapshotChars { get; init; } = 16 * 1024;

    /// <summary>Gets how many projects' snapshots are held now.</summary>
    internal int RememberedSnapshots => _latest.Count;

    /// <summary>Creates the store over an open database.</summary>
    /// <param name="database">The database.</param>
    /// <param name="budget">The budget account in the same file, which commits apply their budget operations to; <see langword="null"/> to accept none.</param>
    public SqliteCompanyStore(SqliteDatabase database, SqliteBudgetAccount? budget = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (budget is not null && !ReferenceEquals(budget.Database, database))
        {
            throw new ArgumentException("The budget account must be over the same database as the store: its operations are applied in the store's transactions.", nameof(budget));
        }

        _database = database;
        _budget = budget;
        _snapshotJson = (JsonTypeInfo<ProjectSnapshot>)database.Json.GetTypeInfo(typeof(ProjectSnapshot));
        _itemJson = (JsonTypeInfo<WorkItem>)database.Json.GetTypeInfo(typeof(WorkItem));
    }

    /// <inheritdoc />
    /// <remarks>The account in the same file: a commit's budget operations are written in the commit's own write, so a crash keeps all or none of them.</remarks>
    public IBudgetAccount? BudgetAccount => _budget;

    /// <summary>
    /// Gets or sets a test hook called in the middle of every commit, after its events and snapshot are written and before
    /// its queue, outbox and journal changes, with the stage and an object that stands for that <see cref="CommitAsync"/>
    /// call (the same in each run of its write: a batch runs again after a write failed midway); when it throws, the
    /// commit is undone and the exception propagates.
    /// </summary>
    internal Action<string, object>? FaultInjection { get; set; }

    /// <summary>Test hook: the next commit to reach <see cref="FaultInjection"/> fails there, in each run of its write; the one after passes and clears the hook.</summary>
    internal void FailNextCommitMidway()
    {
        object? failing = null;
        FaultInjection = (stage, commit) =>
        {
            if (ReferenceEquals(failing ??= commit, commit))
            {
                throw new InvalidOperationException($"Fault injected {stage}.");
            }

            FaultInjection = null;
        };
    }

    /// <inheritdoc />
    public async Task CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        commit.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (commit.Budget.Count > 0 && _budget is null)
        {
            throw new NotSupportedException($"This SQLite store of '{_database.FilePath}' was created without its budget account, so it cannot apply the commit's budget operations; make them through the IBudgetAccount.");
        }

        // Serialize on the caller's thread: the writer only writes, and an unregistered event type fails before anything is queued.
        var prepared = new PreparedCommit(
            commit,
            JsonSerializer.Serialize(commit.Snapshot, _snapshotJson),
            [.. commit.Events.Select(SerializeEvent)],
            [.. commit.Enqueue.Select(i => (i, JsonSerializer.Serialize(i, _itemJson)))]);
        await _database.WriteAsync(context => Commit(context, prepared), cancellationToken).ConfigureAwait(false);
        Remember(commit.Snapshot, prepared.Snapshot.Length);
    }

    /// <inheritdoc />
    /// <remarks>A snapshot this instance committed or read is returned again while the stored version is still its version (checked on every call); otherwise the stored row is read.</remarks>
    public ValueTask<ProjectSnapshot?> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var known = _latest.GetValueOrDefault(projectId);
        long knownVersion = known?.Version ?? -1;
        var (found, json) = _database.Read(c =>
        {
            // The JSON only when the version differs from the one held.
            using var command = c.Command("SELECT CASE WHEN version = $known THEN NULL ELSE snapshot END FROM snapshots WHERE project_id = $project;")
                .With("$project", projectId.Value)
                .With("$known", knownVersion);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (true, reader.StringOrNull(0)) : (false, null);
        });
        if (!found)
        {
            _latest.TryRemove(projectId, out _);
            return ValueTask.FromResult<ProjectSnapshot?>(null);
        }

        if (json is null)
        {
            return ValueTask.FromResult(known);
        }

        var snapshot = JsonSerializer.Deserialize(json, _snapshotJson)!;
        Remember(snapshot, json.Length);
        return ValueTask.FromResult<ProjectSnapshot?>(snapshot);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ProjectEvent> ReadEventsAsync(ProjectId projectId, long afterVersion = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var events = _database.Read(c =>
        {
            using var command = c.Command("SELECT event FROM events WHERE project_id = $project AND version > $after ORDER BY version;")
                .With("$project", projectId.Value)
                .With("$after", afterVersion);
            using var reader = command.ExecuteReader();
            var found = new List<string>();
            while (reader.Read())
            {
                found.Add(reader.GetString(0));
            }

            return found;
        });

        foreach (var json in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return DeserializeEvent(json);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var snapshots = _database.Read(c =>
        {
            using var command = status is { } s
                ? c.Command("SELECT snapshot FROM snapshots WHERE status = $status ORDER BY created_at_ticks DESC, project_id DESC;").With("$status", s.ToString())
                : c.Command("SELECT snapshot FROM snapshots ORDER BY created_at_ticks DESC, project_id DESC;");
            using var reader = command.ExecuteReader();
            var found = new List<string>();
            while (reader.Read())
            {
                found.Add(reader.GetString(0));
            }

            return found;
        });

        foreach (var json in snapshots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return JsonSerializer.Deserialize(json, _snapshotJson)!;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Checks and writes one commit in its batch; what it throws undoes it.</summary>
    private bool Commit(WriteContext context, PreparedCommit prepared)
    {
        var commit = prepared.Commit;
        long now = UnixTime.Floor(_database.Time.GetUtcNow());
        var c = context.Connection;

        // Check everything first, so that a refused commit writes nothing: the project's version and, for a commit that
        // settles a lease, the item's lease, in one statement.
        long? current = null;
        string? currentStatus = null;
        long? leaseToken = null;
        long? leaseExpiresAt = null;
        var lease = commit.CompletesLease;
        using (var command = lease is null
            ? c.Command("SELECT version, status FROM snapshots WHERE project_id = $project;")
            : c.Command("""
                SELECT s.version, s.status, w.lease_token, w.lease_expires_at
                FROM (SELECT 1) LEFT JOIN snapshots AS s ON s.project_id = $project LEFT JOIN work_items AS w ON w.item_id = $item;
                """).With("$item", lease.Item.Id))
        {
            command.With("$project", commit.ProjectId.Value);
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                current = reader.Int64OrNull(0);
                currentStatus = reader.StringOrNull(1);
                if (lease is not null)
                {
                    leaseToken = reader.Int64OrNull(2);
                    leaseExpiresAt = reader.Int64OrNull(3);
                }
            }
        }

        if (current is null && commit.ExpectedVersion != 0)
        {
            throw new ProjectNotFoundException(commit.ProjectId);
        }

        if ((current ?? 0) != commit.ExpectedVersion || (current is not null && commit.ExpectedVersion == 0))
        {
            throw new ConcurrencyException(commit.ProjectId, commit.ExpectedVersion, current ?? 0);
        }

        if (lease is not null && !Holds(lease, leaseToken, leaseExpiresAt, now))
        {
            throw new LeaseLostException(lease);
        }

        var snapshot = commit.Snapshot;
        string status = snapshot.Status.ToString();
        if (current is null)
        {
            using var command = c.Command("""
                INSERT INTO snapshots (project_id, version, status, created_at_ticks, updated_at, snapshot)
                VALUES ($project, $version, $status, $created, $updated, $snapshot);
                """);
            command.With("$project", commit.ProjectId.Value)
                .With("$version", snapshot.Version)
                .With("$status", status)
                .With("$created", snapshot.CreatedAt.UtcTicks)
                .With("$updated", UnixTime.Floor(snapshot.UpdatedAt))
                .With("$snapshot", prepared.Snapshot)
                .ExecuteNonQuery();
        }
        else
        {
            // The status is indexed: set only when it changes (assigning it, even the same value, rewrites its index entry).
            using var command = status == currentStatus
                ? c.Command("UPDATE snapshots SET version = $version, updated_at = $updated, snapshot = $snapshot WHERE project_id = $project;")
                : c.Command("UPDATE snapshots SET version = $version, status = $status, updated_at = $updated, snapshot = $snapshot WHERE project_id = $project;").With("$status", status);
            command.With("$project", commit.ProjectId.Value)
                .With("$version", snapshot.Version)
                .With("$updated", UnixTime.Floor(snapshot.UpdatedAt))
                .With("$snapshot", prepared.Snapshot)
                .ExecuteNonQuery();
        }

        // Up to EventsPerInsert events per statement: a commit's few events cost one statement, not one each.
        for (int first = 0; first < prepared.Events.Length; first += EventsPerInsert)
        {
            int count = Math.Min(EventsPerInsert, prepared.Events.Length - first);
            using var command = c.Command(InsertEvents[count - 1]).With("$project", commit.ProjectId.Value);
            for (int i = 0; i < count; i++)
            {
                command.With(EventParameters[i].Version, commit.Events[first + i].Version).With(EventParameters[i].Event, prepared.Events[first + i]);
            }

            command.ExecuteNonQuery();
        }

        foreach (var operation in commit.Budget)
        {
            SqliteBudgetAccount.Apply(context, operation);
        }

        FaultInjection?.Invoke("after the events, snapshot and budget operations, before the queue, outbox and journal", prepared);

        if (commit.Outbox.Count > 0)
        {
            using var command = c.Command("INSERT INTO outbox (topic, message_key, project_id, payload) VALUES ($topic, $key, $project, $payload);");
            var topic = command.Parameters.AddWithValue("$topic", string.Empty);
            var key = command.Parameters.AddWithValue("$key", string.Empty);
            var payload = command.Parameters.AddWithValue("$payload", string.Empty);
            command.With("$project", commit.ProjectId.Value);
            foreach (var message in commit.Outbox)
            {
                topic.Value = message.Topic;
                key.Value = message.Key;
                payload.Value = message.Payload;
                command.ExecuteNonQuery();
            }
        }

        if (commit.CompletesLease is { } settled)
        {
            // The item's try is over: its recorded calls must not answer a later try.
            using (var command = c.Command("DELETE FROM model_calls WHERE work_item_id = $item;").With("$item", settled.Item.Id))
            {
                command.ExecuteNonQuery();
            }

            using var settle = commit.RetryAt is { } retryAt
                ? c.Command("UPDATE work_items SET lease_token = NULL, lease_worker = NULL, lease_expires_at = NULL, available_at = $available WHERE item_id = $item;")
                    .With("$available", UnixTime.Ceiling(retryAt))
                : c.Command("DELETE FROM work_items WHERE item_id = $item;");
            settle.With("$item", settled.Item.Id).ExecuteNonQuery();
        }

        if (prepared.Enqueue.Length > 0)
        {
            // An item already on the queue (waiting or leased) is left as it is: scheduling it again would run it twice.
            using var command = c.Command("""
                INSERT INTO work_items (item_id, project_id, role, available_at, item)
                VALUES ($item, $project, $role, $available, $json)
                ON CONFLICT (item_id) DO NOTHING;
                """);
            var item = command.Parameters.AddWithValue("$item", string.Empty);
            var role = command.Parameters.AddWithValue("$role", string.Empty);
            var json = command.Parameters.AddWithValue("$json", string.Empty);
            command.With("$project", commit.ProjectId.Value).With("$available", now);
            foreach (var (workItem, itemJson) in prepared.Enqueue)
            {
                item.Value = workItem.Id;
                role.Value = workItem.Role.Value;
                json.Value = itemJson;
                command.ExecuteNonQuery();
            }
        }

        context.WorkChanged = commit.Enqueue.Count > 0 || commit.RetryAt is not null;
        return true;
    }

    /// <summary>Throws <see cref="LeaseLostException"/> unless the lease is the item's current one and has not lapsed.</summary>
    private static void EnsureLeaseHeld(Microsoft.Data.Sqlite.SqliteConnection connection, WorkLease lease, long now)
    {
        using var command = connection.Command("SELECT lease_token, lease_expires_at FROM work_items WHERE item_id = $item;").With("$item", lease.Item.Id);
        using var reader = command.ExecuteReader();
        if (!reader.Read() || !Holds(lease, reader.Int64OrNull(0), reader.Int64OrNull(1), now))
        {
            throw new LeaseLostException(lease);
        }
    }

    /// <summary>Whether the item's stored lease is this one and has not lapsed: a lapsed lease is lost even before another worker takes the item.</summary>
    private static bool Holds(WorkLease lease, long? storedToken, long? storedExpiresAt, long now) =>
        storedToken == lease.Token && storedExpiresAt is { } expiresAt && expiresAt > now;

    /// <summary>
    /// Holds <paramref name="snapshot"/> as the project's newest unless a newer one is held. Only active projects are held
    /// (one that waits for its client may wait for days), and only snapshots of at most <see cref="MaxRememberedSnapshotChars"/>.
    /// </summary>
    private void Remember(ProjectSnapshot snapshot, int jsonChars)
    {
        if (snapshot.Status != ProjectStatus.Active || jsonChars > MaxRememberedSnapshotChars)
        {
            _latest.TryRemove(snapshot.Id, out _);
            return;
        }

        if (!_latest.ContainsKey(snapshot.Id) && _latest.Count >= MaxRememberedSnapshots)
        {
            _latest.Clear();
        }

        // An equal version replaces too: a commit of no events may change a snapshot without its version, and a read of an
        // equal version (a commit raced it) has the same content.
        _latest.AddOrUpdate(snapshot.Id, static (_, s) => s, static (_, held, s) => held.Version > s.Version ? held : s, snapshot);
    }

    private string SerializeEvent(ProjectEvent projectEvent) =>
        _database.EventTypes is { } types ? ProjectEventSerializer.Serialize(projectEvent, types) : ProjectEventSerializer.Serialize(projectEvent);

    private ProjectEvent DeserializeEvent(string json) =>
        _database.EventTypes is { } types ? ProjectEventSerializer.Deserialize(json, types) : ProjectEventSerializer.Deserialize(json);

    private sealed record PreparedCommit(ProjectCommit Commit, string Snapshot, string[] Events, (WorkItem Item, string Json)[] Enqueue);
}
