using System.Collections;
using System.Diagnostics;

namespace VirtualItCompany.Workspace;

/// <summary>
/// Starts allow-listed programs with argument lists (never a shell string), an environment built from an exact allow-list of names,
/// in the OS sandbox where there is one (see <see cref="CommandSandbox"/>), each in a process group of its own.
/// </summary>
internal sealed class CommandRunner(WorkspaceOptions options, TimeProvider timeProvider)
{
    // Longer waits than this are refused by CancellationTokenSource; nobody means them.
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromDays(24);

    // Keep dotnet from leaving build servers, first-run banners and telemetry behind.
    private static readonly KeyValuePair<string, string>[] FixedEnvironment =
    [
        new("MSBUILDDISABLENODEREUSE", "1"),
        new("DOTNET_CLI_USE_MSBUILD_SERVER", "0"),
        new("UseSharedCompilation", "false"),
        new("DOTNET_NOLOGO", "1"),
        new("DOTNET_CLI_TELEMETRY_OPTOUT", "1"),
        new("DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "1"),
        new("DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE", "1"),
        // The first dotnet of each fresh sandbox home verifies the workloads; several at once can fail it ("An issue was
        // encountered verifying workloads"), which failed a build in CI. Builds of agents' services need no workload.
        new("DOTNET_SKIP_WORKLOAD_INTEGRITY_CHECK", "1"),
        new("DOTNET_GENERATE_ASPNET_CERTIFICATE", "false"),
    ];

    private static readonly Lazy<string?> SetSid = new(() => OperatingSystem.IsLinux() ? CommandSandbox.FindOnPath("setsid") : null);

    // util-linux's setpriv (2.33 or later) gives an unsandboxed command the parent-death signal the sandbox gets from
    // --die-with-parent, so it dies with the app even when the app is killed with SIGKILL.
    private static readonly Lazy<string?> SetPriv = new(FindDeathSignalProgram);

    private readonly CommandSandbox _sandbox = new(options);

    /// <summary>Gets the clock used to time commands.</summary>
    public TimeProvider TimeProvider => timeProvider;

    /// <summary>Gets the sandbox commands run in.</summary>
    public CommandSandbox Sandbox => _sandbox;

    /// <summary>Builds the start information for a command, refusing programs that are not on the allow-list.</summary>
    /// <param name="arguments">The program and its arguments.</param>
    /// <param name="rootPath">The workspace folder (the sandbox's only writable mount).</param>
    /// <param name="workingDirectory">The folder to start in.</param>
    /// <param name="profile">What the command may do in the sandbox.</param>
    /// <param name="timeout">The command's time-out (its CPU-time limit in the sandbox).</param>
    /// <param name="environment">Variables to set besides the passed-through ones.</param>
    /// <exception cref="WorkspacePathException">The program is not allowed.</exception>
    /// <exception cref="WorkspaceSandboxException">There is no sandbox and unsandboxed commands are not allowed.</exception>
    public ProcessStartInfo CreateStartInfo(
        IReadOnlyList<string> arguments, string rootPath, string workingDirectory, SandboxProfile profile, TimeSpan timeout, IEnumerable<KeyValuePair<string, string>>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count == 0 || string.IsNullOrWhiteSpace(arguments[0]))
        {
            throw new ArgumentException("A command needs at least a program name.", nameof(arguments));
        }

        var program = arguments[0];
        // The workspace's own git is not an agent's choice: it runs even when git is not on the allow-list for agents.
        if (profile != SandboxProfile.SourceControl)
        {
            EnsureAllowed(program);
        }

        var sandboxed = _sandbox.IsAvailable;
        if (!sandboxed && !options.AllowUnsandboxedCommands && profile != SandboxProfile.SourceControl)
        {
            throw new WorkspaceSandboxException($"The command '{program}' was refused: {_sandbox.Description}");
        }

        var startInfo = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        startInfo.Environment.Clear();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && IsPassedThrough(name))
            {
                startInfo.Environment[name] = variable.Value as string;
            }
        }

        foreach (var (name, value) in FixedEnvironment.Concat(environment ?? []))
        {
            startInfo.Environment[name] = value;
        }

        var rest = arguments.Skip(1).ToArray();
        if (sandboxed)
        {
            var path = CommandSandbox.FindOnPath(program)
                ?? throw new InvalidOperationException($"Could not start '{program}': it is not on PATH.");
            _sandbox.Wrap(startInfo, path, rest, rootPath, workingDirectory, profile, timeout);
            return startInfo;
        }

        if (SetSid.Value is { } setsid)
        {
            // A process group of its own, so the whole group is killed at the end (children that leave it survive: only the sandbox catches those).
            startInfo.FileName = setsid;
            if (SetPriv.Value is { } setpriv)
            {
                // Killed when the app dies (the launcher thread that starts it ends only with the app); its own children are not.
                startInfo.ArgumentList.Add(setpriv);
                startInfo.ArgumentList.Add("--pdeathsig");
                startInfo.ArgumentList.Add("KILL");
                startInfo.ArgumentList.Add("--");
            }

            startInfo.ArgumentList.Add(program);
        }

        foreach (var argument in rest)
        {
            startInfo.ArgumentList.Add(argument ?? "");
        }

        return startInfo;
    }

    private static string? FindDeathSignalProgram()
    {
        if (!OperatingSystem.IsLinux() || CommandSandbox.FindOnPath("setpriv") is not { } setpriv || CommandSandbox.FindOnPath("true") is not { } trueProgram)
        {
            return null;
        }

        try
        {
            // Older setpriv versions do not know --pdeathsig; they refuse it and exit non-zero.
            using var process = Process.Start(new ProcessStartInfo(setpriv, ["--pdeathsig", "KILL", "--", trueProgram]) { RedirectStandardError = true, UseShellExecute = false })!;
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                return null;
            }

            return process.ExitCode == 0 ? setpriv : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            // Not startable, or it exited while being killed: no parent-death signal, rather than a cached failure for every command.
            return null;
        }
    }

    /// <summary>Runs a command to its end, killing its process tree on time-out, cancellation or too much output.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process tree has been killed.</exception>
    public async Task<CommandResult> RunAsync(ProcessStartInfo startInfo, TimeSpan timeout, int maxOutputChars, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeoutSource = new CancellationTokenSource(timeout > LongestTimeout ? LongestTimeout : timeout, timeProvider);
        var started = timeProvider.GetTimestamp();
        await using var command = await RunningCommand.StartAsync(startInfo, maxOutputChars, options.CommandMaxOutputBytes, timeProvider).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token, command.OutputLimitReached);
        try
        {
            await command.Process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await command.KillTreeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await command.DrainAsync().ConfigureAwait(false);
            if (command.OutputLimitReached.IsCancellationRequested)
            {
                command.Output.AppendLine($"[killed: the command wrote more than {options.CommandMaxOutputBytes} bytes of output]");
                return new CommandResult(-1, command.Output.ToString(), TimedOut: false, timeProvider.GetElapsedTime(started));
            }

            return new CommandResult(-1, command.Output.ToString(), TimedOut: true, timeProvider.GetElapsedTime(started));
        }

        // The command has exited: what it left running in its group (or sandbox) goes with it.
        await command.KillTreeAsync().ConfigureAwait(false);
        await command.DrainAsync().ConfigureAwait(false);
        return new CommandResult(command.Process.ExitCode, command.Output.ToString(), TimedOut: false, timeProvider.GetElapsedTime(started));
    }

    private void EnsureAllowed(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal) || program.Contains('\\', StringComparison.Ordinal))
        {
            throw new WorkspacePathException($"The command '{program}' was refused: give the bare program name (such as 'dotnet'), not a path; programs are found on PATH.");
        }

        var allowed = options.AllowedCommands.Any(a =>
            string.Equals(a, program, StringComparison.OrdinalIgnoreCase)
            || (OperatingSystem.IsWindows() && string.Equals(a, Path.GetFileNameWithoutExtension(program), StringComparison.OrdinalIgnoreCase)));
        if (!allowed)
        {
            throw new WorkspacePathException($"The command '{program}' was refused: it is not on the allow-list ({string.Join(", ", options.AllowedCommands)}).");
        }
    }

    private bool IsPassedThrough(string name) =>
        options.PassThroughEnvironment.Any(allowed => string.Equals(name, allowed, StringComparison.OrdinalIgnoreCase));
}
