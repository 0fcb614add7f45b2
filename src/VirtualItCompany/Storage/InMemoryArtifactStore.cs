using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace VirtualItCompany.Storage;

/// <summary>The in-memory artifact store: versioned files, contents stored once by their SHA-256.</summary>
internal sealed class InMemoryArtifactStore : IArtifactStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, byte[]> _contents = new(StringComparer.Ordinal);
    private readonly Dictionary<(ProjectId, string), List<ArtifactInfo>> _versions = [];

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for save times.</param>
    public InMemoryArtifactStore(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public ValueTask<ArtifactInfo> SaveAsync(ProjectId projectId, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        path = NormalizePath(path);
        string hash = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        lock (_gate)
        {
            if (!_versions.TryGetValue((projectId, path), out var versions))
            {
                versions = [];
                _versions.Add((projectId, path), versions);
            }

            if (versions.Count > 0 && versions[^1].ContentHash == hash)
            {
                return ValueTask.FromResult(versions[^1]);
            }

            _contents.TryAdd(hash, content.ToArray());
            var info = new ArtifactInfo(projectId, path, versions.Count + 1, hash, content.Length, _timeProvider.GetUtcNow());
            versions.Add(info);
            return ValueTask.FromResult(info);
        }
    }

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>?> ReadAsync(ProjectId projectId, string path, int? version = null, CancellationToken cancellationToken = default)
    {
        path = NormalizePath(path);
        lock (_gate)
        {
            if (!_versions.TryGetValue((projectId, path), out var versions) || versions.Count == 0)
            {
                return ValueTask.FromResult<ReadOnlyMemory<byte>?>(null);
            }

            int index = (version ?? versions.Count) - 1;
            return index < 0 || index >= versions.Count
                ? ValueTask.FromResult<ReadOnlyMemory<byte>?>(null)
                : ValueTask.FromResult<ReadOnlyMemory<byte>?>(_contents[versions[index].ContentHash]);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(ProjectId projectId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArtifactInfo[] latest;
        lock (_gate)
        {
            latest = [.. _versions.Where(kv => kv.Key.Item1 == projectId && kv.Value.Count > 0).Select(kv => kv.Value[^1]).OrderBy(a => a.Path, StringComparer.Ordinal)];
        }

        foreach (var info in latest)
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
