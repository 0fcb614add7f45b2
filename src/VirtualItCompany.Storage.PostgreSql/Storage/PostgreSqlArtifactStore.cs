using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using static VirtualItCompany.Storage.PostgreSql.PostgreSqlDatabase;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>The artifact store over the PostgreSQL schema: each content stored once by its SHA-256, and a version row per project, path and save.</summary>
internal sealed class PostgreSqlArtifactStore : IArtifactStore
{
    private readonly PostgreSqlDatabase _database;

    /// <summary>Creates the store over an open database.</summary>
    /// <param name="database">The database.</param>
    public PostgreSqlArtifactStore(PostgreSqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public async ValueTask<ArtifactInfo> SaveAsync(ProjectId projectId, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        path = NormalizePath(path);
        cancellationToken.ThrowIfCancellationRequested();
        string hash = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        byte[] bytes = content.ToArray();
        return await _database.InTransactionAsync(
            async (c, _, ct) =>
            {
                // Saves of one file take turns, so each gets the next version (other files are not held up).
                await ExecuteAsync(c, "SELECT pg_advisory_xact_lock(hashtextextended('virtualitcompany:artifact:' || $1 || ':' || $2, 0));", ct, projectId.Value, path).ConfigureAwait(false);
                await using (var latest = Command(c, "SELECT version, hash, length, saved_at FROM artifact_versions WHERE project_id = $1 AND path = $2 ORDER BY version DESC LIMIT 1;", projectId.Value, path))
                await using (var reader = await latest.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    if (await reader.ReadAsync(ct).ConfigureAwait(false) && reader.GetString(1) == hash)
                    {
                        // Unchanged content keeps its version (a retried save whose first try committed lands here too).
                        return new ArtifactInfo(projectId, path, reader.GetInt32(0), hash, reader.GetInt64(2), UnixTime.ToTime(reader.GetInt64(3)));
                    }
                }

                await ExecuteAsync(c, "INSERT INTO artifact_blobs (hash, content) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING;", ct, hash, bytes).ConfigureAwait(false);
                long savedAt = UnixTime.Floor(_database.Time.GetUtcNow());
                int version = await ScalarAsync<int>(c, """
                    INSERT INTO artifact_versions (project_id, path, version, hash, length, saved_at)
                    SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5 FROM artifact_versions WHERE project_id = $1 AND path = $2
                    RETURNING version;
                    """, ct, projectId.Value, path, hash, (long)bytes.Length, savedAt).ConfigureAwait(false);
                return new ArtifactInfo(projectId, path, version, hash, bytes.Length, UnixTime.ToTime(savedAt));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(ProjectId projectId, string path, int? version = null, CancellationToken cancellationToken = default)
    {
        path = NormalizePath(path);
        byte[]? content = await _database.RunAsync(
            async (c, _, ct) =>
            {
                await using var command = version is { } v
                    ? Command(c, "SELECT b.content FROM artifact_versions v JOIN artifact_blobs b ON b.hash = v.hash WHERE v.project_id = $1 AND v.path = $2 AND v.version = $3;", projectId.Value, path, v)
                    : Command(c, "SELECT b.content FROM artifact_versions v JOIN artifact_blobs b ON b.hash = v.hash WHERE v.project_id = $1 AND v.path = $2 ORDER BY v.version DESC LIMIT 1;", projectId.Value, path);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as byte[];
            },
            cancellationToken).ConfigureAwait(false);
        // Not a conditional with a bare null: null converts to an empty ReadOnlyMemory through byte[].
        return content is null ? null : new ReadOnlyMemory<byte>(content);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(ProjectId projectId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var latest = await _database.RunAsync(
            async (c, _, ct) =>
            {
                await using var command = Command(c, """
                    SELECT DISTINCT ON (path) path, version, hash, length, saved_at FROM artifact_versions
                    WHERE project_id = $1 ORDER BY path, version DESC;
                    """, projectId.Value);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                var found = new List<ArtifactInfo>();
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    found.Add(new ArtifactInfo(projectId, reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3), UnixTime.ToTime(reader.GetInt64(4))));
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var info in latest.OrderBy(a => a.Path, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }
    }

    private static string NormalizePath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return path.Replace('\\', '/').TrimStart('/');
    }
}
