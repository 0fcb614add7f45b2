using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Npgsql;
using static VirtualItCompany.Storage.PostgreSql.PostgreSqlDatabase;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>
/// The project store, work queue, outbox, model-call journal and commit announcer over one PostgreSQL schema: every
/// <see cref="ProjectCommit"/> is one transaction that locks the project's row, checks the version and the lease's fencing
/// token, and writes all of it or none of it.
/// </summary>
/// <remarks>Safe for concurrent use, and beside other instances and processes on other machines that use the same schema.</remarks>
internal sealed partial class PostgreSqlCompanyStore : IProjectStore, IAddressableWorkQueue, IOutbox, IModelCallJournal, IBudgetCommitStore, IProjectCommitAnnouncer, IAbandonedCallSweep
{
    // A retried commit looks itself up in commit_log; entries older than this are pruned now and then.
    private static readonly TimeSpan CommitLogRetention = TimeSpan.FromHours(1);

    // Where the mid-commit test hook runs.
    private const string MidCommitStage = "after the events, snapshot and limit changes, before the settlements, queue, outbox and journal";

    private readonly PostgreSqlDatabase _database;
    private readonly JsonTypeInfo<ProjectSnapshot> _snapshotJson;
    private readonly JsonTypeInfo<WorkItem> _itemJson;
    private readonly PostgreSqlBudgetAccount? _budget;
    private int _commitsSincePrune;

    /// <summary>Creates the store over an open database.</summary>
    /// <param name="database">The database.</param>
    /// <param name="budget">The budget account in the same schema, which commits apply their budget operations to; <see langword="null"/> to accept none.</param>
    public PostgreSqlCompanyStore(PostgreSqlDatabase database, PostgreSqlBudgetAccount? budget = null)
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
    /// <remarks>The account in the same schema: a commit's budget operations are written in the commit's transaction.</remarks>
    public IBudgetAccount? BudgetAccount => _budget;

    /// <summary>Gets or sets a test hook called in the middle of every commit, after its events and snapshot are written and before its queue, outbox and journal changes; when it throws, the commit is rolled back and the exception propagates.</summary>
    internal Action<string>? FaultInjection { get; set; }

    /// <summary>
    /// Gets or sets a test hook called with the attempt (0 first) once a commit is written: before its transaction commits
    /// when it has a transaction block (a new project's, or one that raises a limit), after it committed when it went in
    /// one round trip (the reply lost). A transient exception it throws is retried as a lost connection would be.
    /// </summary>
    internal Action<int>? BeforeCommit { get; set; }

    /// <inheritdoc />
    public async Task CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        commit.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (commit.Budget.Count > 0 && _budget is null)
        {
            throw new NotSupportedException($"This PostgreSQL store was created without its budget account, so it cannot apply the commit's budget operations; make them through the IBudgetAccount.");
        }

        // Serialized before the transaction: an unregistered event type fails before anything is sent.
        string snapshotJson = JsonSerializer.Serialize(commit.Snapshot, _snapshotJson);
        string[] events = [.. commit.Events.Select(SerializeEvent)];
        string[] items = [.. commit.Enqueue.Select(i => JsonSerializer.Serialize(i, _itemJson))];
        var commitId = Guid.CreateVersion7();
        bool prune = Interlocked.Increment(ref _commitsSincePrune) % 256 == 0;
        // The usual commit (an existing project, no limit raised) is one batch in its implicit transaction: one round trip,
        // and no transaction block left open between two. The others have a transaction block (see WriteCommitAsync).
        bool oneBatch = commit.ExpectedVersion != 0 && commit.Budget.All(o => o is SettleReservation);
        Func<NpgsqlConnection, int, CancellationToken, Task<bool>> write = async (c, attempt, ct) =>
        {
            // After a fault the first try may have committed (the reply was lost): then it is done, not done twice.
            if (attempt > 0 && await ScalarAsync<bool>(c, "SELECT EXISTS (SELECT 1 FROM commit_log WHERE commit_id = $1);", ct, commitId).ConfigureAwait(false))
            {
                return true;
            }

            await WriteCommitAsync(c, commit, snapshotJson, events, items, commitId, prune, ct).ConfigureAwait(false);
            BeforeCommit?.Invoke(attempt);
            return true;
        };
        try
        {
            await (oneBatch ? _database.RunAsync(write, cancellationToken) : _database.InTransactionAsync(write, cancellationToken)).ConfigureAwait(false);
        }
        catch (ProjectExistsException)
        {
            // Read after the rollback: the transaction that found the row may have been aborted by the writes batched after it.
            long existing = await _database.RunAsync((c, _, ct) => ScalarAsync<long>(c, "SELECT coalesce((SELECT version FROM snapshots WHERE project_id = $1), 0);", ct, commit.ProjectId.Value), cancellationToken).ConfigureAwait(false);
            throw new ConcurrencyException(commit.ProjectId, 0, existing);
        }

        // Wakes this process's waiters for what the commit changed (other processes hear it by NOTIFY).
        if (commit.Enqueue.Count > 0 || commit.RetryAt is not null)
        {
            _database.WorkChanged.Raise();
        }

        if (commit.Budget.Count > 0)
        {
            _database.BudgetChanged.Raise();
        }
    }

    /// <inheritdoc />
    public async ValueTask<ProjectSnapshot?> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default)
    {
        string? json = await _database.RunAsync(
            async (c, _, ct) =>
            {
                await using var command = Command(c, "SELECT snapshot FROM snapshots WHERE project_id = $1;", projectId.Value);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            },
            cancellationToken).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize(json, _snapshotJson);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ProjectEvent> ReadEventsAsync(ProjectId projectId, long afterVersion = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var events = await _database.RunAsync(
            (c, _, ct) => ReadStringsAsync(c, "SELECT event FROM events WHERE project_id = $1 AND version > $2 ORDER BY version;", ct, projectId.Value, afterVersion),
            cancellationToken).ConfigureAwait(false);
        foreach (var json in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return DeserializeEvent(json);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var snapshots = await _database.RunAsync(
            (c, _, ct) => status is { } s
                ? ReadStringsAsync(c, "SELECT snapshot FROM snapshots WHERE status = $1 ORDER BY created_at_ticks DESC, project_id DESC;", ct, s.ToString())
                : ReadStringsAsync(c, "SELECT snapshot FROM snapshots ORDER BY created_at_ticks DESC, project_id DESC;", ct),
            cancellationToken).ConfigureAwait(false);
        foreach (var json in snapshots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return JsonSerializer.Deserialize(json, _snapshotJson)!;
        }
    }

    /// <inheritdoc />
    public ValueTask<IAsyncDisposable> ListenAsync(Action<ProjectCommitAnnouncement> onAnnounced, CancellationToken cancellationToken = default) =>
        _database.ListenAsync(onAnnounced, cancellationToken);

    internal static async Task<List<string>> ReadStringsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>Calls the mid-commit test hook; when it throws, adds a failing statement (so the fault comes with writes already made in the transaction, as a real one would) and returns the exception to throw.</summary>
    private Exception? AddInjectedFault(NpgsqlBatch batch)
    {
        if (FaultInjection is not { } inject)
        {
            return null;
        }

        try
        {
            inject(MidCommitStage);
            return null;
        }
        catch (Exception ex)
        {
            batch.BatchCommands.Add(BatchCommand("SELECT 1 / 0;"));
            return ex;
        }
    }

    /// <summary>
    /// Checks and writes one commit; what it throws rolls it back, with the caller's transaction block or, when the caller
    /// has none, with the batch's implicit transaction. The checks go first in one batch with the writes (a commit that
    /// raises a limit sends them alone, then its writes). They are <c>commit_check</c> (schema version 4), which locks the
    /// project's row and then the leased item's, so that two commits of a project take turns, and raises an error when a
    /// check fails; a new project's row is first inserted (a second creator finds it there), and the check then runs on
    /// what was inserted.
    /// </summary>
    private async Task WriteCommitAsync(NpgsqlConnection c, ProjectCommit commit, string snapshotJson, string[] events, string[] items, Guid commitId, bool prune, CancellationToken ct)
    {
        long now = UnixTime.Floor(_database.Time.GetUtcNow());
        bool raisesLimits = commit.Budget.Any(o => o is not SettleReservation);
        await using (var batch = new NpgsqlBatch(c))
        {
            bool creates = commit.ExpectedVersion == 0;
            if (creates)
            {
                AddCreation(batch, commit, snapshotJson);
            }

            var lease = commit.CompletesLease;
            batch.BatchCommands.Add(BatchCommand("SELECT commit_check($1, $2, $3, $4, $5);", commit.ProjectId.Value, creates ? commit.Snapshot.Version : commit.ExpectedVersion, Parameters.Text(lease?.Item.Id), Parameters.Bigint(lease?.Token), now));
            Exception? injected = null;
            if (!raisesLimits)
            {
                AddHistory(batch, commit, snapshotJson, events);
                injected = AddInjectedFault(batch);
                AddRest(batch, commit, items, commitId, prune, now);
            }

            try
            {
                await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (creates && await reader.ReadAsync(ct).ConfigureAwait(false) && !reader.GetBoolean(0))
                {
                    try
                    {
                        // The rest of the batch ran after the insert; its results (an error among them, say the events' key
                        // taken by the commit that won) do not matter: the transaction is rolled back.
                        await reader.DisposeAsync().ConfigureAwait(false);
                    }
                    catch (PostgresException)
                    {
                    }

                    throw new ProjectExistsException();
                }

                while (await reader.NextResultAsync(ct).ConfigureAwait(false))
                {
                }
            }
            catch (PostgresException ex) when (Refusal(ex, commit) is { } refused)
            {
                throw refused;
            }
            catch (PostgresException ex) when (injected is not null && ex.SqlState == PostgresErrorCodes.DivisionByZero)
            {
                throw injected;
            }
        }

        if (!raisesLimits)
        {
            return;
        }

        await using (var history = new NpgsqlBatch(c))
        {
            AddHistory(history, commit, snapshotJson, events);
            if (history.BatchCommands.Count > 0)
            {
                await history.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        foreach (var operation in commit.Budget)
        {
            await PostgreSqlBudgetAccount.ApplyAsync(c, operation, ct).ConfigureAwait(false);
        }

        FaultInjection?.Invoke(MidCommitStage);
        await using var rest = new NpgsqlBatch(c);
        AddRest(rest, commit, items, commitId, prune, now);
        await rest.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Adds a new project's row, with whether it was inserted (<see langword="false"/>: another creator's row is there).</summary>
    private static void AddCreation(NpgsqlBatch batch, ProjectCommit commit, string snapshotJson)
    {
        var snapshot = commit.Snapshot;
        batch.BatchCommands.Add(BatchCommand("""
            WITH inserted AS (
                INSERT INTO snapshots (project_id, version, status, created_at_ticks, updated_at, snapshot)
                VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id) DO NOTHING RETURNING version)
            SELECT EXISTS (SELECT 1 FROM inserted);
            """, commit.ProjectId.Value, snapshot.Version, snapshot.Status.ToString(), snapshot.CreatedAt.UtcTicks, UnixTime.Floor(snapshot.UpdatedAt), snapshotJson));
    }

    /// <summary>The exception for a check <c>commit_check</c> failed (SQLSTATE VC404, VC409 with the version found as the message, VC410), or <see langword="null"/> for any other error.</summary>
    private static Exception? Refusal(PostgresException exception, ProjectCommit commit) => exception.SqlState switch
    {
        "VC404" => new ProjectNotFoundException(commit.ProjectId),
        "VC409" => new ConcurrencyException(commit.ProjectId, commit.ExpectedVersion, long.Parse(exception.MessageText, System.Globalization.CultureInfo.InvariantCulture)),
        "VC410" when commit.CompletesLease is { } lease => new LeaseLostException(lease),
        _ => null,
    };

    /// <summary>Adds the snapshot's update (an existing project) and the events.</summary>
    private static void AddHistory(NpgsqlBatch batch, ProjectCommit commit, string snapshotJson, string[] events)
    {
        var snapshot = commit.Snapshot;
        string project = commit.ProjectId.Value;
        if (commit.ExpectedVersion != 0)
        {
            batch.BatchCommands.Add(BatchCommand("UPDATE snapshots SET version = $2, status = $3, updated_at = $4, snapshot = $5 WHERE project_id = $1;", project, snapshot.Version, snapshot.Status.ToString(), UnixTime.Floor(snapshot.UpdatedAt), snapshotJson));
        }

        if (events.Length > 0)
        {
            long[] versions = [.. commit.Events.Select(e => e.Version)];
            batch.BatchCommands.Add(BatchCommand("INSERT INTO events (project_id, version, event) SELECT $1, v, e FROM unnest($2::bigint[], $3::text[]) AS t(v, e);", project, Parameters.BigintArray(versions), Parameters.TextArray(events)));
        }
    }

    /// <summary>Adds the settlements, outbox, lease settlement, journal pruning, enqueue, commit log and the notifications (delivered only if the transaction commits).</summary>
    private void AddRest(NpgsqlBatch rest, ProjectCommit commit, string[] items, Guid commitId, bool prune, long now)
    {
        string project = commit.ProjectId.Value;
        var lease = commit.CompletesLease;
        foreach (var settle in commit.Budget.OfType<SettleReservation>())
        {
            // Ignored when the reservation is already settled or released, as SettleAsync has it.
            PostgreSqlBudgetAccount.AddSettlement(rest, settle.ReservationId, BudgetUnits.FromDollarsCeiling(settle.Cost));
        }

        if (commit.Outbox.Count > 0)
        {
            rest.BatchCommands.Add(BatchCommand("""
                INSERT INTO outbox (topic, message_key, project_id, payload)
                SELECT t, k, $1, p FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS x(t, k, p, o) ORDER BY o;
                """, project, Parameters.TextArray([.. commit.Outbox.Select(m => m.Topic)]), Parameters.TextArray([.. commit.Outbox.Select(m => m.Key)]), Parameters.TextArray([.. commit.Outbox.Select(m => m.Payload)])));
        }

        if (lease is not null)
        {
            // The item's try is over: its recorded calls must not answer a later try.
            rest.BatchCommands.Add(BatchCommand("DELETE FROM model_calls WHERE work_item_id = $1;", lease.Item.Id));
            rest.BatchCommands.Add(commit.RetryAt is { } retryAt
                ? BatchCommand("UPDATE work_items SET lease_token = NULL, lease_worker = NULL, lease_expires_at = NULL, available_at = $2, journaled = false WHERE item_id = $1;", lease.Item.Id, UnixTime.Ceiling(retryAt))
                : BatchCommand("DELETE FROM work_items WHERE item_id = $1;", lease.Item.Id));
        }

        if (items.Length > 0)
        {
            // An item already on the queue (waiting or leased) is left as it is: scheduling it again would run it twice.
            rest.BatchCommands.Add(BatchCommand("""
                INSERT INTO work_items (item_id, project_id, role, available_at, item)
                SELECT i, $1, r, $2, j FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS x(i, r, j, o) ORDER BY o
                ON CONFLICT (item_id) DO NOTHING;
                """, project, now, Parameters.TextArray([.. commit.Enqueue.Select(i => i.Id)]), Parameters.TextArray([.. commit.Enqueue.Select(i => i.Role.Value)]), Parameters.TextArray(items)));
        }

        rest.BatchCommands.Add(BatchCommand("INSERT INTO commit_log (commit_id, committed_at) VALUES ($1, $2);", commitId, now));
        if (prune)
        {
            rest.BatchCommands.Add(BatchCommand("DELETE FROM commit_log WHERE committed_at < $1;", now - (long)CommitLogRetention.TotalMilliseconds));
        }

        // The notifications in one statement (one to three channels).
        var channels = new List<string>(3);
        var payloads = new List<string>(3);
        if (commit.Events.Count > 0)
        {
            channels.Add(_database.CommitChannel);
            payloads.Add($"{_database.InstanceId}|{project}|{commit.Snapshot.Version}");
        }

        if (items.Length > 0 || commit.RetryAt is not null)
        {
            channels.Add(_database.WorkChannel);
            payloads.Add(_database.InstanceId);
        }

        if (commit.Budget.Count > 0)
        {
            channels.Add(_database.BudgetChannel);
            payloads.Add(_database.InstanceId);
        }

        if (channels.Count > 0)
        {
            rest.BatchCommands.Add(BatchCommand("SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS n(c, p, o) ORDER BY o;", Parameters.TextArray([.. channels]), Parameters.TextArray([.. payloads])));
        }
    }

    /// <summary>Thrown inside the transaction when a new project's row is already there; the commit reads its version after the rollback.</summary>
    private sealed class ProjectExistsException : Exception
    {
    }

    private Task<int> NotifyWorkAsync(NpgsqlConnection c, CancellationToken ct) =>
        ExecuteAsync(c, "SELECT pg_notify($1, $2);", ct, _database.WorkChannel, _database.InstanceId);

    private string SerializeEvent(ProjectEvent projectEvent) =>
        _database.EventTypes is { } types ? ProjectEventSerializer.Serialize(projectEvent, types) : ProjectEventSerializer.Serialize(projectEvent);

    private ProjectEvent DeserializeEvent(string json) =>
        _database.EventTypes is { } types ? ProjectEventSerializer.Deserialize(json, types) : ProjectEventSerializer.Deserialize(json);
}
