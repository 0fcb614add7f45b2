using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>The model-call journal: the first record of an item's call wins; the commit that settles the item's lease removes its records.</summary>
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
                SELECT response, provider, model_id, input_tokens, output_tokens, cost, duration_ticks, reservation_id, recorded_at
                FROM model_calls WHERE work_item_id = $item AND call_key = $key;
                """).With("$item", workItemId).With("$key", callKey);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRecord(reader, workItemId, callKey) : null;
        }));
    }

    /// <inheritdoc />
    public async ValueTask<bool> RecordAsync(ModelCallRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(record.WorkItemId, nameof(record));
        ArgumentException.ThrowIfNullOrEmpty(record.CallKey, nameof(record));
        cancellationToken.ThrowIfCancellationRequested();
        return await _database.WriteAsync(
            context =>
            {
                using var command = context.Connection.Command("""
                    INSERT INTO model_calls (work_item_id, call_key, response, provider, model_id, input_tokens, output_tokens, cost, duration_ticks, reservation_id, recorded_at)
                    VALUES ($item, $key, $response, $provider, $model, $input, $output, $cost, $duration, $reservation, $recorded)
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
                    .With("$recorded", record.RecordedAt.ToString("O", CultureInfo.InvariantCulture));
                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<int> CountAsync(string workItemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult((int)_database.Read(c =>
        {
            using var command = c.Command("SELECT count(*) FROM model_calls WHERE work_item_id = $item;").With("$item", workItemId);
            return command.Int64OrNull() ?? 0;
        }));
    }

    private static ModelCallRecord ReadRecord(SqliteDataReader reader, string workItemId, string callKey) => new(
        workItemId,
        callKey,
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt64(3),
        reader.GetInt64(4),
        decimal.Parse(reader.GetString(5), NumberStyles.Number, CultureInfo.InvariantCulture),
        TimeSpan.FromTicks(reader.GetInt64(6)),
        reader.StringOrNull(7),
        DateTimeOffset.ParseExact(reader.GetString(8), "O", CultureInfo.InvariantCulture, DateTimeStyles.None));
}
