using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>The artifact store over the SQLite file: each content stored once by its SHA-256, and a version row per project, path and save.</summary>
internal sealed class SqliteArtifactStore : IArtifactStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates the store over an open database.</summary>
    /// <param name="database">The database.</param>
    public SqliteArtifactStore(SqliteDatabase database)
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
        return await _database.WriteAsync(
            context =>
            {
                var c = context.Connection;
                using (var latest = c.Command("""
                    SELECT version, hash, length, saved_at FROM artifact_versions
                    WHERE project_id = $project AND path = $path ORDER BY version DESC LIMIT 1;
                    """).With("$project", projectId.Value).With("$path", path))
                using (var reader = latest.ExecuteReader())
                {
                    if (reader.Read() && reader.GetString(1) == hash)
                    {
                        // Unchanged content keeps its version.
                        return new ArtifactInfo(projectId, path, reader.GetInt32(0), hash, reader.GetInt64(2), UnixTime.ToTime(reader.GetInt64(3)));
                    }
                }

                using (var blob = c.Command("INSERT INTO artifact_blobs (hash, content) VALUES ($hash, $content) ON CONFLICT (hash) DO NOTHING;").With("$hash", hash).With("$content", bytes))
                {
                    blob.ExecuteNonQuery();
                }

                long savedAt = UnixTime.Floor(_database.Time.GetUtcNow());
                using var insert = c.Command("""
                    INSERT INTO artifact_versions (project_id, path, version, hash, length, saved_at)
                    SELECT $project, $path, coalesce(max(version), 0) + 1, $hash, $length, $saved FROM artifact_versions WHERE project_id = $project AND path = $path
                    RETURNING version;
                    """);
                int version = (int)(insert.With("$project", projectId.Value)
                    .With("$path", path)
                    .With("$hash", hash)
                    .With("$length", (long)bytes.Length)
                    .With("$saved", savedAt)
                    .Int64OrNull() ?? throw new InvalidOperationException("The artifact version was not written."));
                return new ArtifactInfo(projectId, path, version, hash, bytes.Length, UnixTime.ToTime(savedAt));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>?> ReadAsync(ProjectId projectId, string path, int? version = null, CancellationToken cancellationToken = default)
    {
        path = NormalizePath(path);
        cancellationToken.ThrowIfCancellationRequested();
        byte[]? content = _database.Read(c =>
        {
            using var command = version is { } v
                ? c.Command("""
                    SELECT b.content FROM artifact_versions v JOIN artifact_blobs b ON b.hash = v.hash
                    WHERE v.project_id = $project AND v.path = $path AND v.version = $version;
                    """).With("$version", v)
                : c.Command("""
                    SELECT b.content FROM artifact_versions v JOIN artifact_blobs b ON b.hash = v.hash
                    WHERE v.project_id = $project AND v.path = $path ORDER BY v.version DESC LIMIT 1;
                    """);
            command.With("$project", projectId.Value).With("$path", path);
            return command.ExecuteScalar() as byte[];
        });
        // Not a conditional with a bare null: null converts to an empty ReadOnlyMemory through byte[].
        return content is null ? ValueTask.FromResult<ReadOnlyMemory<byte>?>(null) : ValueTask.FromResult<ReadOnlyMemory<byte>?>(new ReadOnlyMemory<byte>(content));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(ProjectId projectId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var latest = _database.Read(c =>
        {
            using var command = c.Command("""
                SELECT path, max(version), hash, length, saved_at FROM artifact_versions
                WHERE project_id = $project GROUP BY path;
                """).With("$project", projectId.Value);
            using var reader = command.ExecuteReader();
            var found = new List<ArtifactInfo>();
            while (reader.Read())
            {
                found.Add(new ArtifactInfo(projectId, reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3), UnixTime.ToTime(reader.GetInt64(4))));
            }

            return found;
        });

        foreach (var info in latest.OrderBy(a => a.Path, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static string NormalizePath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return path.Replace('\\', '/').TrimStart('/');
    }
}
