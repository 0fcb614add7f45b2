using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace VirtualItCompany.Workspace;

/// <summary>What a command may do in the sandbox.</summary>
internal enum SandboxProfile
{
    /// <summary>A command an agent chose: the workspace writable except its <c>.git</c> folder, no network unless the command is in <see cref="WorkspaceOptions.NetworkCommands"/>.</summary>
    AgentCommand,

    /// <summary>The workspace's own git: the whole workspace writable (its repository too), no network.</summary>
    SourceControl,

    /// <summary>A deployed service: like an agent command, but on the host's network so its health check reaches it on 127.0.0.1.</summary>
    Deployment,
}

/// <summary>
/// Wraps commands in bubblewrap (<c>bwrap</c>): new user, PID, IPC and UTS namespaces (and network, unless allowed), the workspace the
/// only writable mount, the toolchain and the package cache read-only, a private <c>/tmp</c> and an empty <c>HOME</c>, resource limits
/// set by <c>prlimit</c> inside, and the whole tree killed with it.
/// </summary>
internal sealed class CommandSandbox
{
    /// <summary>The empty home folder of every sandboxed command (inside its private <c>/tmp</c>).</summary>
    public const string SandboxHome = "/tmp/vic-home";

    private static readonly ConcurrentDictionary<string, Probe> Probes = new(StringComparer.Ordinal);

    // Files of /etc that programs need: shared libraries, certificates, name resolution, users (dotnet's NuGet loops without a passwd entry).
    private static readonly string[] EtcEntries =
    [
        "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ssl", "/etc/ca-certificates",
        "/etc/pki", "/etc/localtime", "/etc/nsswitch.conf", "/etc/hosts", "/etc/resolv.conf", "/etc/host.conf", "/etc/gai.conf",
        "/etc/passwd", "/etc/group", "/etc/mime.types",
    ];

    private readonly WorkspaceOptions _options;
    private readonly Probe _probe;

    public CommandSandbox(WorkspaceOptions options)
    {
        _options = options;
        _probe = Probes.GetOrAdd(options.BubblewrapProgram, ProbeSandbox);
    }

    /// <summary>Gets whether commands run in the sandbox.</summary>
    public bool IsAvailable => _probe.Available;

    /// <summary>Gets a sentence saying whether commands run sandboxed, and if not, why and how to change it.</summary>
    public string Description => _probe.Available
        ? $"Commands run in the bubblewrap sandbox ({_probe.Program})."
        : $"Commands cannot run in a sandbox: {_probe.Reason} {(_options.AllowUnsandboxedCommands ? "They run unsandboxed because AllowUnsandboxedCommands is set." : "They are refused; install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap) or set WorkspaceOptions.AllowUnsandboxedCommands to run them unsandboxed.")}";

    /// <summary>Turns a start information for <paramref name="program"/> into one that runs it inside bubblewrap.</summary>
    /// <param name="startInfo">The start information whose environment is already the exact one the command gets.</param>
    /// <param name="program">The program's absolute path on the host.</param>
    /// <param name="arguments">The program's arguments.</param>
    /// <param name="rootPath">The workspace folder.</param>
    /// <param name="workingDirectory">The folder to start in, inside the workspace.</param>
    /// <param name="profile">What the command may do.</param>
    /// <param name="timeout">The command's time-out, for its CPU-time limit.</param>
    public void Wrap(ProcessStartInfo startInfo, string program, IReadOnlyList<string> arguments, string rootPath, string workingDirectory, SandboxProfile profile, TimeSpan timeout)
    {
        var args = startInfo.ArgumentList;
        args.Clear();
        startInfo.FileName = _probe.Program;
        args.Add("--unshare-user");
        args.Add("--unshare-pid");
        args.Add("--unshare-ipc");
        args.Add("--unshare-uts");
        args.Add("--unshare-cgroup-try");
        var network = profile == SandboxProfile.Deployment || (profile == SandboxProfile.AgentCommand && NetworkAllowed(arguments, Path.GetFileName(program)));
        if (!network)
        {
            args.Add("--unshare-net");
        }

        args.Add("--die-with-parent");
        args.Add("--new-session");
        args.Add("--hostname");
        args.Add("sandbox");

        var bound = new List<string>();
        void ReadOnly(string path)
        {
            var full = Path.TrimEndingDirectorySeparator(path);
            if (bound.Any(b => full == b || full.StartsWith(b + "/", StringComparison.Ordinal)) || !Path.Exists(full))
            {
                return;
            }

            bound.Add(full);
            args.Add("--ro-bind");
            args.Add(full);
            args.Add(full);
        }

        ReadOnly("/usr");
        foreach (var top in new[] { "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32" })
        {
            var info = new FileInfo(top);
            if (info.LinkTarget is { } target)
            {
                args.Add("--symlink");
                args.Add(target);
                args.Add(top);
            }
            else if (Directory.Exists(top))
            {
                ReadOnly(top);
            }
        }

        foreach (var entry in EtcEntries)
        {
            ReadOnly(entry);
        }

        args.Add("--proc");
        args.Add("/proc");
        args.Add("--dev");
        args.Add("/dev");
        args.Add("--tmpfs");
        args.Add("/tmp");
        args.Add("--dir");
        args.Add(SandboxHome);

        // The toolchain: the folder of the program's real file (the .NET root for dotnet), and of prlimit.
        ReadOnly(Path.GetDirectoryName(program)!);
        ReadOnly(Path.GetDirectoryName(_probe.Prlimit)!);
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot && Path.IsPathFullyQualified(dotnetRoot))
        {
            ReadOnly(dotnetRoot);
        }

        if (NuGetCache() is { } cache)
        {
            ReadOnly(cache);
            startInfo.Environment["NUGET_PACKAGES"] = cache;
        }

        foreach (var extra in _options.SandboxReadOnlyPaths)
        {
            ReadOnly(extra);
        }

        args.Add("--bind");
        args.Add(rootPath);
        args.Add(rootPath);
        var git = Path.Combine(rootPath, ".git");
        if (profile != SandboxProfile.SourceControl && new DirectoryInfo(git) is { Exists: true, LinkTarget: null })
        {
            // Agents read history but cannot change it (config, hooks, refs): only the workspace's own git writes there.
            args.Add("--ro-bind");
            args.Add(git);
            args.Add(git);
        }

        args.Add("--chdir");
        args.Add(workingDirectory);

        startInfo.Environment["HOME"] = SandboxHome;
        startInfo.Environment["TMPDIR"] = "/tmp";
        startInfo.Environment.Remove("TEMP");
        startInfo.Environment.Remove("TMP");

        args.Add("--");
        args.Add(_probe.Prlimit);
        args.Add(Limit("data", _options.CommandMemoryLimitBytes));
        args.Add(Limit("fsize", _options.CommandFileSizeLimitBytes));
        args.Add(Limit("nproc", _options.CommandProcessLimit));
        args.Add("--core=0");
        if (profile != SandboxProfile.Deployment)
        {
            args.Add(Limit("cpu", (long)Math.Ceiling(Math.Min(timeout.TotalSeconds, int.MaxValue)) + 1));
        }

        args.Add("--");
        args.Add(program);
        foreach (var argument in arguments)
        {
            args.Add(argument ?? "");
        }
    }

    /// <summary>Finds a bare program name on <c>PATH</c> and returns the absolute path of its real file.</summary>
    /// <returns>The path, or <see langword="null"/> when no folder on <c>PATH</c> has it.</returns>
    public static string? FindOnPath(string program)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Path.IsPathFullyQualified(folder))
            {
                continue; // a relative PATH entry would resolve against the workspace
            }

            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
            {
                var real = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
                return Path.GetFullPath(real);
            }
        }

        return null;
    }

    private bool NetworkAllowed(IReadOnlyList<string> arguments, string program) =>
        _options.NetworkCommands.Any(entry =>
        {
            var words = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words.Length > arguments.Count + 1 || !string.Equals(words[0], program, StringComparison.Ordinal))
            {
                return false;
            }

            for (var i = 1; i < words.Length; i++)
            {
                if (!string.Equals(words[i], arguments[i - 1], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        });

    private static string? NuGetCache()
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrWhiteSpace(configured) && Path.IsPathFullyQualified(configured) && Directory.Exists(configured))
        {
            return Path.TrimEndingDirectorySeparator(configured);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var cache = Path.Combine(home, ".nuget", "packages");
        return home.Length > 0 && Directory.Exists(cache) ? cache : null;
    }

    private static string Limit(string name, long value) => $"--{name}={value.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Runs the sandbox once with <c>true</c> to learn whether it works here (bubblewrap installed, user namespaces allowed).</summary>
    private static Probe ProbeSandbox(string bubblewrap)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new Probe(false, "the sandbox (bubblewrap) exists only on Linux.", "", "");
        }

        var program = Path.IsPathFullyQualified(bubblewrap) ? (File.Exists(bubblewrap) ? bubblewrap : null) : FindOnPath(bubblewrap);
        if (program is null)
        {
            return new Probe(false, $"bubblewrap ('{bubblewrap}') is not installed.", "", "");
        }

        var prlimit = FindOnPath("prlimit");
        if (prlimit is null)
        {
            return new Probe(false, "prlimit (util-linux), which sets the sandbox's resource limits, is not installed.", program, "");
        }

        var trueProgram = FindOnPath("true") ?? "/usr/bin/true";
        try
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "--unshare-user", "--unshare-pid", "--unshare-net", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp" })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var top in new[] { "/bin", "/lib", "/lib64" })
            {
                if (new FileInfo(top).LinkTarget is { } target)
                {
                    start.ArgumentList.Add("--symlink");
                    start.ArgumentList.Add(target);
                    start.ArgumentList.Add(top);
                }
                else if (Directory.Exists(top))
                {
                    start.ArgumentList.Add("--ro-bind");
                    start.ArgumentList.Add(top);
                    start.ArgumentList.Add(top);
                }
            }

            start.ArgumentList.Add("--");
            start.ArgumentList.Add(trueProgram);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                return new Probe(false, "bubblewrap did not answer within 30 seconds.", program, prlimit);
            }

            return process.ExitCode == 0
                ? new Probe(true, "", program, prlimit)
                : new Probe(false, $"bubblewrap is installed but cannot create a sandbox here (exit code {process.ExitCode}: {error.Result.Trim()}); user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone, or an AppArmor restriction).", program, prlimit);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new Probe(false, $"bubblewrap could not be started ({ex.Message}).", program, prlimit);
        }
    }

    private sealed record Probe(bool Available, string Reason, string Program, string Prlimit);
}
