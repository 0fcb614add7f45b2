using Npgsql;
using static VirtualItCompany.Storage.PostgreSql.PostgreSqlDatabase;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>The model-call journal: the first record of an item's call wins, records are listed in the order recorded, and the commit that settles the item's lease removes them.</summary>
internal sealed partial class PostgreSqlCompanyStore
{
    private const string RecordColumns = "call_key, response, provider, model_id, input_tokens, output_tokens, cost, duration_ticks, reservation_id, lease_token, recorded_at_ticks, recorded_offset_minutes";

    /// <inheritdoc />
    public async ValueTask<ModelCallRecord?> FindAsync(string workItemId, string callKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        ArgumentException.ThrowIfNullOrEmpty(callKey);
        return await _database.RunAsync(
            async (c, _, ct) =>
            {
                await using var command = Command(c, $"SELECT {RecordColumns} FROM model_calls WHERE work_item_id = $1 AND call_key = $2;", workItemId, callKey);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadRecord(reader, workItemId) : null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RecordAsync(ModelCallRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(record.WorkItemId, nameof(record));
        ArgumentException.ThrowIfNullOrEmpty(record.CallKey, nameof(record));
        cancellationToken.ThrowIfCancellationRequested();
        long now = UnixTime.Floor(_database.Time.GetUtcNow());
        return await _database.RunAsync(
            async (c, attempt, ct) =>
            {
                int rows = await InsertRecordAsync(c, record, now, ct).ConfigureAwait(false);
                if (rows == 0 && attempt > 0)
                {
                    // A try whose reply was lost may have stored this very record.
                    await using var command = Command(c, "SELECT lease_token, recorded_at_ticks FROM model_calls WHERE work_item_id = $1 AND call_key = $2;", record.WorkItemId, record.CallKey);
                    await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    return await reader.ReadAsync(ct).ConfigureAwait(false) && reader.GetInt64(0) == record.LeaseToken && reader.GetInt64(1) == record.RecordedAt.UtcTicks;
                }

                return rows == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> SweepAbandonedAsync(string workItemId, long leaseToken, Func<BudgetReservation, ModelCallRecord> record, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var budget = _budget ?? throw new NotSupportedException("This PostgreSQL store was created without its budget account, so it cannot charge reservations; use the IBudgetAccount and the journal.");
        long now = UnixTime.Floor(_database.Time.GetUtcNow());
        bool held = await _database.InTransactionAsync(
            async (c, _, ct) =>
            {
                // The item's row locked: its lease cannot change until this transaction ends.
                await using (var command = Command(c, "SELECT 1 FROM work_items WHERE item_id = $1 AND lease_token = $2 AND lease_expires_at > $3 FOR UPDATE;", workItemId, leaseToken, now))
                {
                    if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
                    {
                        return false; // the try that holds the item now sweeps them
                    }
                }

                // Run again after a lost reply, it finds nothing open: the records the first run wrote are in the journal.
                var closed = await budget.SettleOwnerAsync(c, workItemId, ct).ConfigureAwait(false);
                foreach (var reservation in closed)
                {
                    await InsertRecordAsync(c, record(reservation), now, ct).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
        if (held)
        {
            // Also after a retried run that found nothing open: the first run's announcement is this process's own, not heard here.
            _database.BudgetChanged.Raise();
        }

        return held;
    }

    /// <summary>Stores a record if its lease is the item's current, unexpired one and no record of its key is there yet; the rows inserted (0 or 1).</summary>
    private static Task<int> InsertRecordAsync(NpgsqlConnection c, ModelCallRecord record, long now, CancellationToken ct) =>
        // Fenced like a commit: only the try that holds the item's lease now may add to its record. The fence marks the
        // item's row as journaled and keeps it locked until the record commits, so a new lease (SKIP LOCKED) cannot take
        // the item in between: a record is either refused or committed before the next lease, which then finds the mark
        // on the row it takes (the row's newest version, whatever its statement's snapshot) and reads the journal.
        ExecuteAsync(c, """
            WITH fence AS (
                UPDATE work_items SET journaled = true
                WHERE item_id = $1 AND lease_token = $11 AND lease_expires_at > $14
                RETURNING 1)
            INSERT INTO model_calls (work_item_id, call_key, response, provider, model_id, input_tokens, output_tokens, cost, duration_ticks, reservation_id, lease_token, recorded_at_ticks, recorded_offset_minutes, item_marked)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, true FROM fence
            ON CONFLICT (work_item_id, call_key) DO NOTHING;
            """, ct,
            record.WorkItemId,
            record.CallKey,
            record.Response ?? string.Empty,
            record.Provider ?? string.Empty,
            record.ModelId ?? string.Empty,
            record.InputTokens,
            record.OutputTokens,
            record.Cost,
            record.Duration.Ticks,
            Parameters.Text(record.ReservationId),
            record.LeaseToken,
            record.RecordedAt.UtcTicks,
            (int)record.RecordedAt.Offset.TotalMinutes,
            now);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ModelCallRecord>> ListAsync(string workItemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        return await _database.RunAsync<IReadOnlyList<ModelCallRecord>>(
            async (c, _, ct) =>
            {
                await using var command = Command(c, $"SELECT {RecordColumns} FROM model_calls WHERE work_item_id = $1 ORDER BY id;", workItemId);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var records = new List<ModelCallRecord>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    records.Add(ReadRecord(reader, workItemId));
                }

                return records;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static ModelCallRecord ReadRecord(NpgsqlDataReader reader, string workItemId) => new(
        workItemId,
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(4),
        reader.GetInt64(5),
        reader.GetDecimal(6),
        TimeSpan.FromTicks(reader.GetInt64(7)),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.GetInt64(9),
        new DateTimeOffset(reader.GetInt64(10), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.GetInt32(11))));
}
