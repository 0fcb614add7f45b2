using Microsoft.Win32.SafeHandles;
using static VirtualItCompany.Workspace.LinuxNative;

namespace VirtualItCompany.Workspace;

/// <summary>
/// File operations confined to a workspace that cannot be raced: on Linux every path is opened beneath the workspace's descriptor
/// without following any link (<c>openat2</c> with <c>RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS</c>, or a walk of <c>O_NOFOLLOW</c> opens),
/// and all I/O goes through the opened descriptor; only regular files with a single link are read, and writes go to a temporary file
/// renamed into place, so a link swapped in between a check and a use leads nowhere.
/// </summary>
/// <remarks>On other systems the operations check the resolved path and then use it, which a concurrent link swap can race; the sandbox (Linux only) is what makes commands safe there too.</remarks>
internal sealed class ConfinedFiles(WorkspacePaths paths)
{
    /// <summary>The start of the name of a file being written (renamed into place when complete).</summary>
    internal const string TemporaryPrefix = ".vic-write-";

    /// <summary>The end of the name of a file being written.</summary>
    internal const string TemporarySuffix = ".tmp";

    /// <summary>Gets whether a file name is one of a write in progress (or of a write a killed process left), never a workspace file.</summary>
    internal static bool IsTemporary(string name) =>
        name.StartsWith(TemporaryPrefix, StringComparison.Ordinal) && name.EndsWith(TemporarySuffix, StringComparison.Ordinal);

    private const int DirectoryMode = 0x1ED; // 0755
    private const int NewFileMode = 0x1A4; // 0644

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes of a regular file.</summary>
    /// <returns>The bytes read and the file's full size.</returns>
    public (byte[] Bytes, long Size) Read(string path, long maxBytes)
    {
        var relative = WorkspacePaths.Normalize(path);
        if (!OperatingSystem.IsLinux())
        {
            return PortableRead(path, relative, maxBytes);
        }

        using var root = OpenRoot();
        var fd = OpenBeneath(root.Fd, relative, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0, out var errno);
        if (fd < 0)
        {
            throw Error(errno, path, relative, "read");
        }

        using var handle = new SafeFileHandle((nint)fd, ownsHandle: true);
        var status = StatOpen(fd, path);
        EnsureSingleRegularFile(status, path, relative);
        var length = (int)Math.Min(status.Size, maxBytes);
        var buffer = new byte[length];
        var total = 0;
        while (total < length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return (total == length ? buffer : buffer[..total], status.Size);
    }

    /// <summary>Replaces (or creates) a regular file with <paramref name="content"/>, creating its folders; the write goes to a temporary file renamed into place.</summary>
    public void Write(string path, ReadOnlySpan<byte> content)
    {
        var relative = WritableRelative(path);
        if (!OperatingSystem.IsLinux())
        {
            var (_, full) = paths.Resolve(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, content.ToArray());
            return;
        }

        var (folder, name) = Split(relative);
        using var directory = OpenFolder(folder, path, create: true);
        if (Stat(directory.Fd, name, out var existing, out _) && existing.Type != S_IFREG)
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it is {Describe(existing.Type)}, not a regular file.");
        }

        var temporary = TemporaryPrefix + Guid.NewGuid().ToString("N") + TemporarySuffix;
        var fd = OpenBeneath(directory.Fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, NewFileMode, out var errno);
        if (fd < 0)
        {
            throw Error(errno, path, relative, "write");
        }

        var renamed = false;
        try
        {
            using (var handle = new SafeFileHandle((nint)fd, ownsHandle: true))
            {
                RandomAccess.Write(handle, content, 0);
                _ = FSync(fd);
            }

            errno = Rename(directory.Fd, temporary, directory.Fd, name, 0);
            if (errno != 0)
            {
                throw Error(errno, path, relative, "write");
            }

            renamed = true;
        }
        finally
        {
            if (!renamed)
            {
                _ = Unlink(directory.Fd, temporary, directory: false);
            }
        }
    }

    /// <summary>Lists the regular files under a folder, recursively, skipping links and the folders in <see cref="LocalProjectWorkspace.SkippedFolders"/>.</summary>
    /// <returns>The '/' separated relative paths, sorted ordinally.</returns>
    public List<string> List(string path, CancellationToken cancellationToken)
    {
        var relative = WorkspacePaths.Normalize(path);
        var files = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            PortableList(path, relative, files, cancellationToken);
        }
        else
        {
            using var root = OpenRoot();
            var fd = OpenBeneath(root.Fd, relative, O_RDONLY | O_DIRECTORY, 0, out var errno);
            if (fd < 0)
            {
                throw errno == ENOENT || errno == ENOTDIR
                    ? new DirectoryNotFoundException($"There is no folder '{relative}' in the workspace.")
                    : Error(errno, path, relative, "list");
            }

            ListInto(fd, relative, files, cancellationToken);
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Gets whether the path names a real folder (not a link to one) in the workspace.</summary>
    public bool IsFolder(string path)
    {
        var relative = WorkspacePaths.Normalize(path);
        if (!OperatingSystem.IsLinux())
        {
            return Directory.Exists(paths.Resolve(path).FullPath);
        }

        using var root = OpenRoot();
        var fd = OpenBeneath(root.Fd, relative, O_PATH | O_DIRECTORY, 0, out var errno);
        if (fd < 0)
        {
            if (errno is ENOENT or ENOTDIR)
            {
                return false;
            }

            throw Error(errno, path, relative, "use");
        }

        _ = Close(fd);
        return true;
    }

    /// <summary>Deletes a file (or a link itself, never what it points to).</summary>
    public void Delete(string path)
    {
        var relative = WritableRelative(path);
        if (!OperatingSystem.IsLinux())
        {
            var (_, full) = paths.Resolve(path);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"There is no file '{relative}' in the workspace.", relative);
            }

            File.Delete(full);
            return;
        }

        var (folder, name) = Split(relative);
        using var directory = OpenFolder(folder, path, create: false);
        if (!Stat(directory.Fd, name, out var status, out var errno))
        {
            throw Error(errno, path, relative, "delete");
        }

        if (status.Type is not S_IFREG and not S_IFLNK)
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it is {Describe(status.Type)}; only files are deleted.");
        }

        errno = Unlink(directory.Fd, name, directory: false);
        if (errno != 0)
        {
            throw Error(errno, path, relative, "delete");
        }
    }

    /// <summary>Moves a regular file to a new path that does not exist yet, creating its folders.</summary>
    public void Move(string fromPath, string toPath)
    {
        var from = WritableRelative(fromPath);
        var to = WritableRelative(toPath);
        if (!OperatingSystem.IsLinux())
        {
            var (_, sourcePath) = paths.Resolve(fromPath);
            var (_, targetPath) = paths.Resolve(toPath);
            Directory.CreateDirectory(Path.GetDirectoryName(targetPath)!);
            File.Move(sourcePath, targetPath, overwrite: false);
            return;
        }

        var (fromFolder, fromName) = Split(from);
        var (toFolder, toName) = Split(to);
        using var source = OpenFolder(fromFolder, fromPath, create: false);
        if (!Stat(source.Fd, fromName, out var status, out var errno))
        {
            throw Error(errno, fromPath, from, "move");
        }

        if (status.Type != S_IFREG)
        {
            throw new WorkspacePathException($"The path '{fromPath}' was refused: it is {Describe(status.Type)}; only regular files are moved.");
        }

        using var target = OpenFolder(toFolder, toPath, create: true);
        errno = Rename(source.Fd, fromName, target.Fd, toName, RENAME_NOREPLACE);
        if (errno == EEXIST)
        {
            throw new IOException($"The file '{to}' already exists; delete it first or choose another name.");
        }

        if (errno != 0)
        {
            throw Error(errno, toPath, to, "move");
        }
    }

    /// <summary>Normalises a path for writing: not the root, nothing inside a <c>.git</c> folder (no link is followed, so the path is the real one).</summary>
    public static string WritableRelative(string path)
    {
        var relative = WorkspacePaths.Normalize(path);
        if (relative.Length == 0)
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it names the workspace root, not a file.");
        }

        if (relative.Split('/').Any(s => string.Equals(s.TrimEnd('.', ' '), ".git", StringComparison.OrdinalIgnoreCase)))
        {
            throw new WorkspacePathException($"The path '{path}' was refused: the .git folder is managed by the workspace; commit to change history.");
        }

        return relative;
    }

    private void ListInto(int fd, string relative, List<string> files, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = ReadDirectory(fd, out _);
            foreach (var (name, reported) in entries)
            {
                var type = reported switch
                {
                    DT_REG => S_IFREG,
                    DT_DIR => S_IFDIR,
                    DT_UNKNOWN => Stat(fd, name, out var status, out _) ? status.Type : 0,
                    _ => 0, // links, FIFOs, sockets and devices are not listed
                };
                var child = relative.Length == 0 ? name : relative + "/" + name;
                if (type == S_IFREG)
                {
                    if (!IsTemporary(name))
                    {
                        files.Add(child);
                    }
                }
                else if (type == S_IFDIR && !LocalProjectWorkspace.SkippedFolders.Contains(name))
                {
                    var childFd = OpenBeneath(fd, name, O_RDONLY | O_DIRECTORY, 0, out _);
                    if (childFd >= 0)
                    {
                        ListInto(childFd, child, files, cancellationToken);
                    }
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private Descriptor OpenRoot()
    {
        var fd = OpenAbsolute(paths.RootPath, O_PATH | O_DIRECTORY, out var errno);
        if (fd < 0)
        {
            throw new DirectoryNotFoundException($"The workspace folder '{paths.RootPath}' cannot be opened (errno {errno}).");
        }

        return new Descriptor(fd);
    }

    /// <summary>Opens a folder beneath the root, creating each missing component when asked; no component may be a link.</summary>
    private Descriptor OpenFolder(string folder, string path, bool create)
    {
        using var root = OpenRoot();
        var current = OpenBeneath(root.Fd, "", O_RDONLY | O_DIRECTORY, 0, out var errno);
        if (current < 0)
        {
            throw Error(errno, path, folder, "open");
        }

        foreach (var segment in folder.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (create)
            {
                var made = MakeDirectory(current, segment, DirectoryMode);
                if (made != 0 && made != EEXIST)
                {
                    _ = Close(current);
                    throw Error(made, path, folder, "create a folder for");
                }
            }

            var next = OpenBeneath(current, segment, O_RDONLY | O_DIRECTORY, 0, out errno);
            _ = Close(current);
            if (next < 0)
            {
                throw errno is ENOENT
                    ? new DirectoryNotFoundException($"There is no folder '{folder}' in the workspace.")
                    : Error(errno, path, folder, "open");
            }

            current = next;
        }

        return new Descriptor(current);
    }

    private static FileStatus StatOpen(int fd, string path)
    {
        if (!Stat(fd, null, out var status, out var errno))
        {
            throw new IOException($"The file '{path}' could not be inspected (errno {errno}).");
        }

        return status;
    }

    private static void EnsureSingleRegularFile(FileStatus status, string path, string relative)
    {
        if (status.Type != S_IFREG)
        {
            throw new WorkspacePathException($"The path '{path}' was refused: it is {Describe(status.Type)}, not a regular file.");
        }

        if (status.Links > 1)
        {
            throw new WorkspacePathException($"The path '{path}' was refused: the file '{relative}' has {status.Links} hard links, so it may be a file outside the workspace; copy its content into a new file instead.");
        }
    }

    private static (string Folder, string Name) Split(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? ("", relative) : (relative[..slash], relative[(slash + 1)..]);
    }

    private static string Describe(int type) => type switch
    {
        S_IFDIR => "a folder",
        S_IFLNK => "a link",
        0x1000 => "a FIFO",
        0x2000 or 0x6000 => "a device",
        0xC000 => "a socket",
        _ => "not a regular file",
    };

    private static Exception Error(int errno, string path, string relative, string action) => errno switch
    {
        ENOENT => new FileNotFoundException($"There is no file '{relative}' in the workspace.", relative),
        ELOOP => new WorkspacePathException($"The path '{path}' was refused: it goes through a link; links are never followed in the workspace."),
        EXDEV => new WorkspacePathException($"The path '{path}' was refused: it leads out of the workspace (through a link or a mount)."),
        ENOTDIR => new WorkspacePathException($"The path '{path}' was refused: a part of it that should be a folder is a file or a link."),
        EISDIR => new WorkspacePathException($"The path '{path}' was refused: it is a folder, not a file."),
        EACCES or EPERM => new UnauthorizedAccessException($"Could not {action} '{relative}': permission denied."),
        _ => new IOException($"Could not {action} '{relative}' (errno {errno})."),
    };

    private (byte[] Bytes, long Size) PortableRead(string path, string relative, long maxBytes)
    {
        var (_, full) = paths.Resolve(path);
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"There is no file '{relative}' in the workspace.", relative);
        }

        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[(int)Math.Min(stream.Length, maxBytes)];
        stream.ReadExactly(buffer);
        return (buffer, stream.Length);
    }

    private void PortableList(string path, string relative, List<string> files, CancellationToken cancellationToken)
    {
        var (_, fullPath) = paths.Resolve(path);
        if (!Directory.Exists(fullPath))
        {
            throw new DirectoryNotFoundException($"There is no folder '{relative}' in the workspace.");
        }

        var pending = new Stack<string>([fullPath]);
        var enumeration = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 };
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos("*", enumeration))
            {
                if (entry.LinkTarget is not null)
                {
                    continue;
                }

                if (entry is FileInfo)
                {
                    if (!IsTemporary(entry.Name))
                    {
                        files.Add(paths.ToRelative(entry.FullName));
                    }
                }
                else if (!LocalProjectWorkspace.SkippedFolders.Contains(entry.Name))
                {
                    pending.Push(entry.FullName);
                }
            }
        }
    }

    /// <summary>Closes a descriptor when disposed.</summary>
    private readonly struct Descriptor(int fd) : IDisposable
    {
        public int Fd { get; } = fd;

        public void Dispose()
        {
            _ = Close(Fd);
        }
    }
}
