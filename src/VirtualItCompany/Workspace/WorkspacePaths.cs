namespace VirtualItCompany.Workspace;

/// <summary>Turns paths given by agents into paths inside one workspace, refusing every way out.</summary>
internal sealed class WorkspacePaths
{
    private const int MaxLinkHops = 40;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string _realRoot;

    public WorkspacePaths(string rootPath)
    {
        RootPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
        _realRoot = Path.TrimEndingDirectorySeparator(ResolveLinks(RootPath));
    }

    /// <summary>Gets the absolute path of the workspace.</summary>
    public string RootPath { get; }

    /// <summary>Normalises a relative path to '/' separators without empty or '.' segments; empty means the root.</summary>
    public static string Normalize(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "";
        }

        var slashed = path.Trim().Replace('\\', '/');
        if (slashed.Contains('\0', StringComparison.Ordinal))
        {
            throw new WorkspacePathException($"The path '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' was refused: it contains a NUL character.");
        }

        if (slashed.StartsWith('/') || Path.IsPathRooted(path) || (slashed.Length >= 2 && slashed[1] == ':' && char.IsAsciiLetter(slashed[0])))
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it is absolute; give a path relative to the workspace root.");
        }

        var segments = slashed.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Contains(".."))
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it has a '..' segment, which could climb out of the workspace.");
        }

        return string.Join('/', segments);
    }

    /// <summary>Gets the absolute path for a relative one after checking that it, and every link on the way, stays inside the workspace.</summary>
    /// <returns>The normalised relative path and the absolute path to use for I/O.</returns>
    public (string Relative, string FullPath) Resolve(string? path)
    {
        var relative = Normalize(path);
        var fullPath = relative.Length == 0 ? RootPath : Path.Combine(RootPath, relative.Replace('/', Path.DirectorySeparatorChar));
        var real = ResolveLinks(fullPath);
        if (!IsInside(real))
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it goes through a link to '{real}', which is outside the workspace.");
        }

        return (relative, fullPath);
    }

    /// <summary>Gets the '/' separated path of an absolute path inside the workspace.</summary>
    public string ToRelative(string fullPath) =>
        Path.GetRelativePath(RootPath, fullPath).Replace('\\', '/');

    private bool IsInside(string realPath) =>
        string.Equals(realPath, _realRoot, PathComparison)
        || realPath.StartsWith(_realRoot + Path.DirectorySeparatorChar, PathComparison);

    /// <summary>Resolves every symbolic link in the existing part of an absolute path, segment by segment, as the operating system would.</summary>
    private static string ResolveLinks(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var pending = new List<string>(Split(fullPath[root.Length..]));
        var current = root;
        var hops = 0;
        while (pending.Count > 0)
        {
            var segment = pending[0];
            pending.RemoveAt(0);
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, segment);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new WorkspacePathException($"The path '{fullPath}' was refused: it goes through more than {MaxLinkHops} links.");
            }

            // A link's target replaces the segment; an absolute target restarts from its root.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? root;
                target = target[current.Length..];
            }

            pending.InsertRange(0, Split(target));
        }

        return current;
    }

    private static string[] Split(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
