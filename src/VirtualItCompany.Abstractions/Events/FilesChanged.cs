namespace VirtualItCompany;

/// <summary>An agent wrote files in the workspace and committed them.</summary>
/// <param name="Paths">The files written, relative to the workspace.</param>
/// <param name="CommitId">The git commit, when one was made.</param>
public sealed record FilesChanged(IReadOnlyList<string> Paths, string? CommitId) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"{Paths.Count} file(s) changed" + (CommitId is null ? "" : $", commit {CommitId[..Math.Min(7, CommitId.Length)]}");
}
