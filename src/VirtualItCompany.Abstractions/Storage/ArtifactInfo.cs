namespace VirtualItCompany;

/// <summary>One version of a project file in the artifact store.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Path">The file's path in the workspace, with '/' separators.</param>
/// <param name="Version">The version, from 1; a save with unchanged content keeps the version.</param>
/// <param name="ContentHash">The SHA-256 of the content, lower-case hex: the content's address.</param>
/// <param name="Length">The content's length in bytes.</param>
/// <param name="SavedAt">When this version was saved.</param>
public sealed record ArtifactInfo(ProjectId ProjectId, string Path, int Version, string ContentHash, long Length, DateTimeOffset SavedAt);
