using System.ComponentModel;
using Microsoft.Extensions.AI;
using VirtualItCompany.Agents;

namespace VirtualItCompany.Workspace;

/// <summary>The file tools a model uses in a workspace: list_files, read_file, write_file, search_files, delete_file and move_file.</summary>
/// <remarks>
/// Refused paths and missing files surface as exceptions, which a function-invoking chat client reports to the model. Every tool opens
/// paths beneath the workspace without following links (see <see cref="ConfinedFiles"/>); reads are capped by bytes, so a huge file,
/// a FIFO or a device never blocks or floods a tool.
/// </remarks>
internal sealed class WorkspaceFileTools(LocalProjectWorkspace workspace, Action<string>? onFileWritten)
{
    /// <summary>The most characters read_file returns.</summary>
    internal const int MaxReadChars = 100_000;

    /// <summary>The most paths list_files returns.</summary>
    internal const int MaxListedFiles = 2_000;

    /// <summary>The most matching lines search_files returns.</summary>
    internal const int MaxSearchMatches = 100;

    private const int MaxSearchedFileBytes = 1024 * 1024;
    private const int MaxMatchLineChars = 200;

    /// <summary>Creates the tools.</summary>
    public IList<AITool> Create() =>
    [
        Tool(ListFilesAsync, "list_files",
            "Lists the files in the project workspace, one relative path per line, sorted. Build output (bin, obj) and the .git folder are skipped."),
        Tool(ReadFileAsync, "read_file",
            "Reads a UTF-8 text file of the project workspace and returns its content."),
        Tool(WriteFileAsync, "write_file",
            "Creates or replaces a UTF-8 text file in the project workspace with the given content, creating folders as needed. Always send the complete file content."),
        Tool(SearchFilesAsync, "search_files",
            $"Searches the text files of the project workspace for a text (ignoring case) and returns matching lines as 'path:line: text', at most {MaxSearchMatches}."),
        Tool(DeleteFileAsync, "delete_file",
            "Deletes a file of the project workspace."),
        Tool(MoveFileAsync, "move_file",
            "Moves (renames) a file of the project workspace to a new path that does not exist yet, creating folders as needed."),
    ];

    private static AIFunction Tool(Delegate method, string name, string description) =>
        AIFunctionFactory.Create(method, new AIFunctionFactoryOptions { Name = name, Description = description, SerializerOptions = AgentJsonContext.ModelOptions });

    private async Task<string> ListFilesAsync(
        [Description("The folder to list, relative to the workspace root, with '/' separators; empty for the whole workspace.")] string path = "",
        CancellationToken cancellationToken = default)
    {
        var files = await workspace.ListFilesAsync(path, cancellationToken).ConfigureAwait(false);
        if (files.Count == 0)
        {
            return "The folder has no files.";
        }

        var listed = string.Join('\n', files.Take(MaxListedFiles));
        return files.Count <= MaxListedFiles ? listed : $"{listed}\n[{files.Count - MaxListedFiles} more files not shown; list a sub-folder]";
    }

    private Task<string> ReadFileAsync(
        [Description("The file to read, relative to the workspace root, such as 'src/Program.cs'.")] string path,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // UTF-8 needs at most 4 bytes a character: this many bytes hold the characters shown and tell whether there are more.
        var (content, size) = workspace.ReadText(path, (MaxReadChars * 4) + 4);
        return Task.FromResult(content.Length <= MaxReadChars && size <= (MaxReadChars * 4) + 4
            ? content
            : $"{content[..Math.Min(content.Length, MaxReadChars)]}\n[file truncated: it has {size} bytes, only the first {MaxReadChars} characters are shown]");
    }

    private Task<string> DeleteFileAsync(
        [Description("The file to delete, relative to the workspace root.")] string path,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        workspace.DeleteFile(path);
        return Task.FromResult($"Deleted {WorkspacePaths.Normalize(path)}.");
    }

    private Task<string> MoveFileAsync(
        [Description("The file to move, relative to the workspace root.")] string path,
        [Description("The new path, relative to the workspace root; it must not exist yet.")] string newPath,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        workspace.MoveFile(path, newPath);
        var relative = WorkspacePaths.Normalize(newPath);
        onFileWritten?.Invoke(relative);
        return Task.FromResult($"Moved {WorkspacePaths.Normalize(path)} to {relative}.");
    }

    private async Task<string> WriteFileAsync(
        [Description("The file to write, relative to the workspace root, such as 'src/Program.cs'.")] string path,
        [Description("The complete new content of the file.")] string content,
        CancellationToken cancellationToken = default)
    {
        await workspace.WriteFileAsync(path, content, cancellationToken).ConfigureAwait(false);
        var relative = WorkspacePaths.Normalize(path);
        onFileWritten?.Invoke(relative);
        return $"Wrote {content.Length} characters to {relative}.";
    }

    private async Task<string> SearchFilesAsync(
        [Description("The text to look for; matched literally, ignoring case.")] string text,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new ArgumentException("Give a non-empty text to search for.", nameof(text));
        }

        var matches = new List<string>();
        foreach (var file in await workspace.ListFilesAsync("", cancellationToken).ConfigureAwait(false))
        {
            var lines = await TryReadTextLinesAsync(file, cancellationToken).ConfigureAwait(false);

            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains(text, StringComparison.OrdinalIgnoreCase))
                {
                    var line = lines[i].Trim();
                    matches.Add($"{file}:{i + 1}: {(line.Length <= MaxMatchLineChars ? line : line[..MaxMatchLineChars] + "...")}");
                    if (matches.Count == MaxSearchMatches)
                    {
                        return string.Join('\n', matches) + $"\n[stopped at {MaxSearchMatches} matches; search for a more precise text]";
                    }
                }
            }
        }

        return matches.Count == 0 ? $"No line contains '{text}'." : string.Join('\n', matches);
    }

    /// <summary>Reads a listed file's lines, or none for a file that is too large, binary, unreadable, linked or not a regular file.</summary>
    private Task<string[]> TryReadTextLinesAsync(string file, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var (text, size) = workspace.ReadText(file, MaxSearchedFileBytes);
            if (size > MaxSearchedFileBytes || text.Contains('\0', StringComparison.Ordinal))
            {
                return Task.FromResult<string[]>([]);
            }

            return Task.FromResult(text.ReplaceLineEndings("\n").Split('\n'));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // WorkspacePathException is an UnauthorizedAccessException: a link, FIFO or hard-linked file is skipped, not searched.
            return Task.FromResult<string[]>([]);
        }
    }
}
