using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>The model-call journal: the first record of an item's call wins, records are listed in the order recorded (by rowid), and the commit that settles the item's lease removes them.</summary>
internal sealed partial class SqliteCompanyStore
{
    /// <inheritdoc />
    public ValueTask<ModelCallRecord?> FindAsync(string workItemId, string callKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        ArgumentException.ThrowIfNullOrEmpty(callKey);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_database.Read(c =>
        {
            using var command = c.Command("""
                SELECT call_key, response, provider, model_id, input_tokens, output_tokens, cost, duration_ticks, reservation_id, lease_token, recorded_at
                FROM model_calls WHERE work_item_id = $item AND call_key = $key;
                """).With("$item", workItemId).With("$key", callKey);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRecord(reader, workItemId) : null;
        }));
    }

    /// <inheritdoc />
    public async ValueTask<bool> RecordAsync(ModelCallRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(record.WorkItemId, nameof(record));
        ArgumentException.ThrowIfNullOrEmpty(record.CallKey, nameof(record));
        cancellationToken.ThrowIfCancellationRequested();
        long now = UnixTime.Floor(_database.Time.GetUtcNow());
        return await _database.WriteAsync(context => Insert(context.Connection, record, now), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> SweepAbandonedAsync(string workItemId, long leaseToken, Func<BudgetReservation, ModelCallRecord> record, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        if (_budget is null)
        {
            throw new NotSupportedException($"This SQLite store of '{_database.FilePath}' was created without its budget account, so it cannot charge reservations; use the IBudgetAccount and the journal.");
        }

        long now = UnixTime.Floor(_database.Time.GetUtcNow());
        return await _database.WriteAsync(
            context =>
            {
                using (var held = context.Connection.Command("SELECT 1 FROM work_items WHERE item_id = $item AND lease_token = $token AND lease_expires_at > $now;"))
                {
                    if (held.With("$item", workItemId).With("$token", leaseToken).With("$now", now).ExecuteScalar() is null)
                    {
                        return false; // the try that holds the item now sweeps them
                    }
                }

                foreach (var reservation in SqliteBudgetAccount.SettleOwner(context, workItemId))
                {
                    Insert(context.Connection, record(reservation), now);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a record if its lease is the item's current, unexpired one and no record of its key is there yet.</summary>
    private static bool Insert(SqliteConnection connection, ModelCallRecord record, long now)
    {
        using var command = connection.Command("""
            INSERT INTO model_calls (work_item_id, call_key, response, provider, model_id, input_tokens, output_tokens, cost, duration_ticks, reservation_id, lease_token, recorded_at)
            SELECT $item, $key, $response, $provider, $model, $input, $output, $cost, $duration, $reservation, $token, $recorded
            WHERE EXISTS (SELECT 1 FROM work_items WHERE item_id = $item AND lease_token = $token AND lease_expires_at > $now)
            ON CONFLICT (work_item_id, call_key) DO NOTHING;
            """);
        command.With("$item", record.WorkItemId)
            .With("$key", record.CallKey)
            .With("$response", record.Response ?? string.Empty)
            .With("$provider", record.Provider ?? string.Empty)
            .With("$model", record.ModelId ?? string.Empty)
            .With("$input", record.InputTokens)
            .With("$output", record.OutputTokens)
            .With("$cost", record.Cost.ToString(CultureInfo.InvariantCulture))
            .With("$duration", record.Duration.Ticks)
            .With("$reservation", record.ReservationId)
            .With("$token", record.LeaseToken)
            .With("$recorded", record.RecordedAt.ToString("O", CultureInfo.InvariantCulture))
            .With("$now", now); // fenced like a commit: only the try that holds the item's lease now may add to its record
        return command.ExecuteNonQuery() == 1;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ModelCallRecord>> ListAsync(string workItemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<ModelCallRecord>>(_database.Read(c =>
        {
            using var command = c.Command("""
                SELECT call_key, response, provider, model_id, input_tokens, output_tokens, cost, duration_ticks, reservation_id, lease_token, recorded_at
                FROM model_calls WHERE work_item_id = $item ORDER BY rowid;
                """).With("$item", workItemId);
            using var reader = command.ExecuteReader();
            var records = new List<ModelCallRecord>();
            while (reader.Read())
            {
                records.Add(ReadRecord(reader, workItemId));
            }

            return records;
        }));
    }

    private static ModelCallRecord ReadRecord(SqliteDataReader reader, string workItemId) => new(
        workItemId,
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(4),
        reader.GetInt64(5),
        decimal.Parse(reader.GetString(6), NumberStyles.Number, CultureInfo.InvariantCulture),
        TimeSpan.FromTicks(reader.GetInt64(7)),
        reader.StringOrNull(8),
        reader.GetInt64(9),
        DateTimeOffset.ParseExact(reader.GetString(10), "O", CultureInfo.InvariantCulture, DateTimeStyles.None));
}
