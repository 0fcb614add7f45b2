using System.Runtime.InteropServices;

namespace VirtualItCompany.Workspace;

/// <summary>The Linux system calls the confined file tools and process groups use, as source-generated P/Invoke (native AOT safe).</summary>
internal static unsafe partial class LinuxNative
{
    private const string Libc = "libc";

    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_NONBLOCK = 0x800;
    public const int O_NOCTTY = 0x100;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_CLOEXEC = 0x80000;
    public static readonly int O_DIRECTORY = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
    public static readonly int O_NOFOLLOW = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;
    public const int O_PATH = 0x200000;

    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_EMPTY_PATH = 0x1000;
    public const int AT_REMOVEDIR = 0x200;

    public const ulong RESOLVE_NO_XDEV = 0x01;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_NO_SYMLINKS = 0x04;
    public const ulong RESOLVE_BENEATH = 0x08;

    public const uint RENAME_NOREPLACE = 1;

    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int EPERM = 1;
    public const int E2BIG = 7;

    public const int S_IFMT = 0xF000;
    public const int S_IFREG = 0x8000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFLNK = 0xA000;

    public const byte DT_UNKNOWN = 0;
    public const byte DT_DIR = 4;
    public const byte DT_REG = 8;
    public const byte DT_LNK = 10;

    public const int SIGKILL = 9;

    private const long SYS_openat2 = 437; // the same number on every architecture (added after the syscall tables were unified)

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    /// <summary>What <see cref="Stat"/> reports of a file.</summary>
    public readonly record struct FileStatus(int Mode, uint Links, long Size)
    {
        public int Type => Mode & S_IFMT;
    }

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial long SysCallOpenat2(long number, int dirfd, byte* path, OpenHow* how, nuint size);

    [LibraryImport(Libc, EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAt(int dirfd, byte* path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true)]
    private static partial int StatX(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport(Libc, EntryPoint = "mkdirat", SetLastError = true)]
    private static partial int MkdirAt(int dirfd, byte* path, int mode);

    [LibraryImport(Libc, EntryPoint = "unlinkat", SetLastError = true)]
    private static partial int UnlinkAt(int dirfd, byte* path, int flags);

    [LibraryImport(Libc, EntryPoint = "renameat2", SetLastError = true)]
    private static partial int RenameAt2(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, uint flags);

    [LibraryImport(Libc, EntryPoint = "getdents64", SetLastError = true)]
    private static partial nint GetDents64(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    private static volatile bool s_noOpenat2;

    /// <summary>Gets whether <c>openat2</c> answered ENOSYS (a kernel older than 5.6, or a seccomp filter), so opens walk the path instead.</summary>
    public static bool Openat2Missing => s_noOpenat2;

    /// <summary>Opens a path beneath a directory without following any link: <c>openat2</c> with <c>RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS</c>, or a walk of <c>O_NOFOLLOW</c> opens where that is missing.</summary>
    /// <returns>The file descriptor, or -1 with the error number in <paramref name="errno"/>.</returns>
    public static int OpenBeneath(int rootFd, string relative, int flags, int mode, out int errno)
    {
        flags |= O_CLOEXEC;
        if (!s_noOpenat2)
        {
            var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = (flags & O_CREAT) != 0 ? (ulong)mode : 0, Resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };
            long fd;
            var bytes = Utf8Z(relative.Length == 0 ? "." : relative);
            fixed (byte* p = bytes)
            {
                do
                {
                    fd = SysCallOpenat2(SYS_openat2, rootFd, p, &how, (nuint)sizeof(OpenHow));
                    errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
                }
                while (fd < 0 && (errno == EINTR || errno == EAGAIN));
            }

            if (fd >= 0 || errno != ENOSYS)
            {
                return (int)fd;
            }

            s_noOpenat2 = true;
        }

        return WalkOpen(rootFd, relative, flags, mode, out errno);
    }

    /// <summary>Opens each folder of the path with <c>O_NOFOLLOW | O_DIRECTORY</c> from the previous one's descriptor, then the last component with <c>O_NOFOLLOW</c>.</summary>
    internal static int WalkOpen(int rootFd, string relative, int flags, int mode, out int errno)
    {
        flags |= O_CLOEXEC;
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return OpenAtName(rootFd, ".", flags, mode, out errno);
        }

        int current = rootFd;
        try
        {
            for (var i = 0; i < segments.Length - 1; i++)
            {
                var next = OpenAtName(current, segments[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, out errno);
                if (current != rootFd)
                {
                    Close(current);
                }

                current = -1;
                if (next < 0)
                {
                    return -1;
                }

                current = next;
            }

            return OpenAtName(current, segments[^1], flags | O_NOFOLLOW, mode, out errno);
        }
        finally
        {
            if (current != rootFd && current >= 0)
            {
                Close(current);
            }
        }
    }

    private static int OpenAtName(int dirfd, string name, int flags, int mode, out int errno)
    {
        if (name is ".." || name.Contains('/', StringComparison.Ordinal))
        {
            errno = EXDEV;
            return -1;
        }

        var bytes = Utf8Z(name);
        int fd;
        fixed (byte* p = bytes)
        {
            do
            {
                fd = OpenAt(dirfd, p, flags, mode);
                errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (fd < 0 && errno == EINTR);
        }

        return fd;
    }

    /// <summary>Opens an absolute path with the given flags (no confinement: for the workspace root itself).</summary>
    public static int OpenAbsolute(string path, int flags, out int errno)
    {
        var bytes = Utf8Z(path);
        fixed (byte* p = bytes)
        {
            var fd = OpenAt(AT_FDCWD, p, flags | O_CLOEXEC, 0);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return fd;
        }
    }

    /// <summary>Stats an open descriptor (<paramref name="name"/> null) or a name in a directory without following a link.</summary>
    public static bool Stat(int fd, string? name, out FileStatus status, out int errno)
    {
        const uint STATX_TYPE_MODE_NLINK_SIZE = 0x1 | 0x2 | 0x4 | 0x200;
        byte* buffer = stackalloc byte[256];
        var bytes = Utf8Z(name ?? "");
        int result;
        fixed (byte* p = bytes)
        {
            result = StatX(fd, p, name is null ? AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW : AT_SYMLINK_NOFOLLOW, STATX_TYPE_MODE_NLINK_SIZE, buffer);
        }

        if (result != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            status = default;
            return false;
        }

        errno = 0;
        status = new FileStatus(*(ushort*)(buffer + 28), *(uint*)(buffer + 16), *(long*)(buffer + 40));
        return true;
    }

    public static int MakeDirectory(int dirfd, string name, int mode)
    {
        var bytes = Utf8Z(name);
        fixed (byte* p = bytes)
        {
            return MkdirAt(dirfd, p, mode) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    public static int Unlink(int dirfd, string name, bool directory)
    {
        var bytes = Utf8Z(name);
        fixed (byte* p = bytes)
        {
            return UnlinkAt(dirfd, p, directory ? AT_REMOVEDIR : 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    public static int Rename(int fromDir, string fromName, int toDir, string toName, uint flags)
    {
        var from = Utf8Z(fromName);
        var to = Utf8Z(toName);
        fixed (byte* f = from)
        fixed (byte* t = to)
        {
            return RenameAt2(fromDir, f, toDir, t, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Lists the entries of an open directory (without '.' and '..') with their types as <c>getdents64</c> reports them.</summary>
    public static List<(string Name, byte Type)> ReadDirectory(int fd, out int errno)
    {
        var entries = new List<(string, byte)>();
        var buffer = new byte[32 * 1024];
        errno = 0;
        fixed (byte* b = buffer)
        {
            while (true)
            {
                var read = GetDents64(fd, b, (nuint)buffer.Length);
                if (read < 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    return entries;
                }

                if (read == 0)
                {
                    return entries;
                }

                for (nint offset = 0; offset < read;)
                {
                    var length = *(ushort*)(b + offset + 16);
                    var type = b[offset + 18];
                    var name = new ReadOnlySpan<byte>(b + offset + 19, length - 19);
                    var end = name.IndexOf((byte)0);
                    var text = System.Text.Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
                    if (text is not "." and not "..")
                    {
                        entries.Add((text, type));
                    }

                    offset += length;
                }
            }
        }
    }

    private static byte[] Utf8Z(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
