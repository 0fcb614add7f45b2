using static VirtualItCompany.Storage.PostgreSql.PostgreSqlDatabase;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>The outbox: messages written in their commit's transaction, read in sequence order per topic until acknowledged.</summary>
internal sealed partial class PostgreSqlCompanyStore
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OutboxEntry>> ReadAsync(string topic, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return await _database.RunAsync<IReadOnlyList<OutboxEntry>>(
            async (c, _, ct) =>
            {
                await using var command = Command(c, "SELECT sequence, project_id, message_key, payload FROM outbox WHERE topic = $1 ORDER BY sequence LIMIT $2;", topic, (long)maxCount);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var found = new List<OutboxEntry>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    found.Add(new OutboxEntry(reader.GetInt64(0), new ProjectId(reader.GetString(1)), new OutboxMessage(topic, reader.GetString(2), reader.GetString(3))));
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask AcknowledgeAsync(string topic, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return;
        }

        long[] list = [.. sequences];
        await _database.RunAsync((c, _, ct) => ExecuteAsync(c, "DELETE FROM outbox WHERE topic = $1 AND sequence = ANY ($2);", ct, topic, Parameters.BigintArray(list)), cancellationToken).ConfigureAwait(false);
    }
}
