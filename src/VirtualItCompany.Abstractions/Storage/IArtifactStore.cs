namespace VirtualItCompany;

/// <summary>Stores project files, versioned and content-addressed, so another worker can pick a project up.</summary>
public interface IArtifactStore
{
    /// <summary>Saves a file's content as its next version (or keeps the current version when the content is unchanged).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="path">The file's path in the workspace.</param>
    /// <param name="content">The content.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>The saved version.</returns>
    ValueTask<ArtifactInfo> SaveAsync(ProjectId projectId, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Reads a version of a file.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="path">The file's path.</param>
    /// <param name="version">The version; <see langword="null"/> for the latest.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The content, or <see langword="null"/> when there is no such file or version.</returns>
    ValueTask<ReadOnlyMemory<byte>?> ReadAsync(ProjectId projectId, string path, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the latest version of each file of a project, by path.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The files.</returns>
    IAsyncEnumerable<ArtifactInfo> ListAsync(ProjectId projectId, CancellationToken cancellationToken = default);
}
