namespace VirtualItCompany;

/// <summary>An agent wrote files in the workspace and committed them.</summary>
/// <param name="Paths">The files written, relative to the workspace.</param>
/// <param name="CommitId">The git commit, when one was made.</param>
public sealed record FilesChanged(IReadOnlyList<string> Paths, string? CommitId) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => Paths.Count == 0
        ? $"Recorded in git as commit {Short(CommitId)}"
        : $"{Paths.Count} file(s) changed" + (CommitId is null ? "" : $", commit {Short(CommitId)}");

    private static string Short(string? id) => id is null ? "(none)" : id[..Math.Min(7, id.Length)];
}
