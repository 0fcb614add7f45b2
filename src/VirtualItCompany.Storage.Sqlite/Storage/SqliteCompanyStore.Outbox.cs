namespace VirtualItCompany.Storage.Sqlite;

/// <summary>The outbox: messages written with their commit (all or nothing), read in sequence order per topic until acknowledged.</summary>
internal sealed partial class SqliteCompanyStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OutboxEntry>> ReadAsync(string topic, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<OutboxEntry>>(_database.Read(c =>
        {
            using var command = c.Command("SELECT sequence, project_id, message_key, payload FROM outbox WHERE topic = $topic ORDER BY sequence LIMIT $max;")
                .With("$topic", topic)
                .With("$max", maxCount);
            using var reader = command.ExecuteReader();
            var found = new List<OutboxEntry>();
            while (reader.Read())
            {
                found.Add(new OutboxEntry(reader.GetInt64(0), new ProjectId(reader.GetString(1)), new OutboxMessage(topic, reader.GetString(2), reader.GetString(3))));
            }

            return found;
        }));
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

        string list = JsonArrays.Of(sequences);
        await _database.WriteAsync(
            context =>
            {
                using var command = context.Connection.Command("DELETE FROM outbox WHERE topic = $topic AND sequence IN (SELECT value FROM json_each($sequences));")
                    .With("$topic", topic)
                    .With("$sequences", list);
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
    }
}
