using Microsoft.Data.Sqlite;

namespace VirtualItCompany.AspNetCore;

/// <summary>
/// The webhook store in a SQLite file of its own (or beside the company's tables: only <c>webhook_*</c> tables are
/// touched): subscriptions, the delivery outbox and the cursors survive a restart. Writes are serialized in the process;
/// several processes on one file may both deliver a delivery (at least once; receivers drop duplicates by its id).
/// </summary>
internal sealed class SqliteWebhookStore : IWebhookStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS webhook_subscriptions (
            id TEXT PRIMARY KEY, client TEXT NOT NULL, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS webhook_subscriptions_by_client ON webhook_subscriptions (client, created_at);
        CREATE TABLE IF NOT EXISTS webhook_deliveries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, subscription_id TEXT NOT NULL, client TEXT NOT NULL,
            project_id TEXT NOT NULL, event_version INTEGER NOT NULL, event_type TEXT NOT NULL, payload TEXT NOT NULL,
            status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER NULL, last_status_code INTEGER NULL,
            last_error TEXT NULL, created_at INTEGER NOT NULL, delivered_at INTEGER NULL,
            UNIQUE (subscription_id, project_id, event_version));
        CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'Pending';
        CREATE TABLE IF NOT EXISTS webhook_cursors (project_id TEXT PRIMARY KEY, version INTEGER NOT NULL);
        """;

    private const string DeliveryColumns = "id, subscription_id, client, project_id, event_version, event_type, payload, status, attempts, next_attempt_at, last_status_code, last_error, created_at, delivered_at";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _write = new(1, 1);
    private int _created;

    public SqliteWebhookStore(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            throw new ArgumentException($"The webhook store's connection string '{connectionString}' names no file; use 'Data Source=webhooks.db' (a file survives a restart), or leave it out for in-memory webhooks.", nameof(connectionString));
        }

        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        _connectionString = builder.ToString();
    }

    public async Task<bool> AddSubscriptionAsync(WebhookSubscription subscription, int maxPerClient, CancellationToken cancellationToken) =>
        await WriteAsync(
            async (c, t) =>
            {
                long count = await ScalarAsync(c, t, cancellationToken, "SELECT COUNT(*) FROM webhook_subscriptions WHERE client = $client;", ("$client", subscription.Client)).ConfigureAwait(false);
                if (count >= maxPerClient)
                {
                    return false;
                }

                await ExecAsync(c, t, cancellationToken, "INSERT INTO webhook_subscriptions (id, client, url, events, secret, created_at) VALUES ($id, $client, $url, $events, $secret, $created);",
                    ("$id", subscription.Id), ("$client", subscription.Client), ("$url", subscription.Url), ("$events", string.Join(',', subscription.Events)),
                    ("$secret", subscription.Secret), ("$created", subscription.CreatedAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(string? client, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, "SELECT id, client, url, events, secret, created_at FROM webhook_subscriptions WHERE $client IS NULL OR client = $client ORDER BY created_at, id;", ("$client", client));
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var found = new List<WebhookSubscription>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(new WebhookSubscription(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries), reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
            }

            return found;
        }
    }

    public async Task<bool> DeleteSubscriptionAsync(string client, string id, CancellationToken cancellationToken) =>
        await WriteAsync(
            async (c, t) =>
            {
                if (await ExecAsync(c, t, cancellationToken, "DELETE FROM webhook_subscriptions WHERE id = $id AND client = $client;", ("$id", id), ("$client", client)).ConfigureAwait(false) == 0)
                {
                    return false;
                }

                await ExecAsync(c, t, cancellationToken, "UPDATE webhook_deliveries SET status = 'Failed', next_attempt_at = NULL, last_error = 'The subscription was deleted.' WHERE subscription_id = $id AND status = 'Pending';", ("$id", id)).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyDictionary<string, long>> GetCursorsAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, "SELECT project_id, version FROM webhook_cursors;");
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var found = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found[reader.GetString(0)] = reader.GetInt64(1);
            }

            return found;
        }
    }

    public async Task QueueAsync(string projectId, long throughVersion, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken) =>
        await WriteAsync(
            async (c, t) =>
            {
                foreach (var d in deliveries)
                {
                    await ExecAsync(c, t, cancellationToken, $"INSERT OR IGNORE INTO webhook_deliveries ({DeliveryColumns}) VALUES ($id, $sub, $client, $project, $version, $type, $payload, $status, $attempts, $next, $code, $error, $created, $delivered);", Parameters(d)).ConfigureAwait(false);
                }

                await ExecAsync(c, t, cancellationToken, "INSERT INTO webhook_cursors (project_id, version) VALUES ($project, $version) ON CONFLICT (project_id) DO UPDATE SET version = max(version, excluded.version);",
                    ("$project", projectId), ("$version", throughVersion)).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<WebhookDelivery>> GetDueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken) =>
        ReadDeliveriesAsync($"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE status = 'Pending' AND next_attempt_at <= $now ORDER BY next_attempt_at, seq LIMIT $max;", cancellationToken, ("$now", now.ToUnixTimeMilliseconds()), ("$max", maxCount));

    public async Task UpdateAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        await WriteAsync(
            async (c, t) => await ExecAsync(c, t, cancellationToken, "UPDATE webhook_deliveries SET status = $status, attempts = $attempts, next_attempt_at = $next, last_status_code = $code, last_error = $error, delivered_at = $delivered WHERE id = $id AND status = 'Pending';", Parameters(delivery)).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<WebhookDelivery>> ListRecentAsync(int maxCount, CancellationToken cancellationToken) =>
        ReadDeliveriesAsync($"SELECT {DeliveryColumns} FROM webhook_deliveries ORDER BY seq DESC LIMIT $max;", cancellationToken, ("$max", maxCount));

    private static (string, object?)[] Parameters(WebhookDelivery d) =>
    [
        ("$id", d.Id), ("$sub", d.SubscriptionId), ("$client", d.Client), ("$project", d.ProjectId), ("$version", d.EventVersion), ("$type", d.EventType),
        ("$payload", d.Payload), ("$status", d.Status), ("$attempts", d.Attempts), ("$next", d.NextAttemptAt?.ToUnixTimeMilliseconds()),
        ("$code", d.LastStatusCode), ("$error", d.LastError), ("$created", d.CreatedAt.ToUnixTimeMilliseconds()), ("$delivered", d.DeliveredAt?.ToUnixTimeMilliseconds()),
    ];

    private async Task<IReadOnlyList<WebhookDelivery>> ReadDeliveriesAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, sql, parameters);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var found = new List<WebhookDelivery>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(new WebhookDelivery(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5), reader.GetString(6),
                    reader.GetString(7), reader.GetInt32(8), Time(reader, 9), reader.IsDBNull(10) ? null : reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)), Time(reader, 13)));
            }

            return found;
        }
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    T result = await write(connection, transaction).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
            }
        }
        finally
        {
            _write.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _created) == 0)
            {
                using var create = Command(connection, null, Schema);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _created, 1);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<int> ExecAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
