using System.Collections;
using System.Diagnostics;

namespace VirtualItCompany.Workspace;

/// <summary>Starts allow-listed programs with argument lists (never a shell string) and an environment scrubbed of everything not passed through.</summary>
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
    ];

    /// <summary>Gets the clock used to time commands.</summary>
    public TimeProvider TimeProvider => timeProvider;

    /// <summary>Builds the start information for a command, refusing programs that are not on the allow-list.</summary>
    /// <exception cref="WorkspacePathException">The program is not allowed.</exception>
    public ProcessStartInfo CreateStartInfo(IReadOnlyList<string> arguments, string workingDirectory, IEnumerable<KeyValuePair<string, string>>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count == 0 || string.IsNullOrWhiteSpace(arguments[0]))
        {
            throw new ArgumentException("A command needs at least a program name.", nameof(arguments));
        }

        var program = arguments[0];
        EnsureAllowed(program);
        var startInfo = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        for (var i = 1; i < arguments.Count; i++)
        {
            startInfo.ArgumentList.Add(arguments[i] ?? "");
        }

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

        return startInfo;
    }

    /// <summary>Runs a command to its end, killing its process tree on time-out or cancellation.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process tree has been killed.</exception>
    public async Task<CommandResult> RunAsync(ProcessStartInfo startInfo, TimeSpan timeout, int maxOutputChars, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeoutSource = new CancellationTokenSource(timeout > LongestTimeout ? LongestTimeout : timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var started = timeProvider.GetTimestamp();
        await using var command = RunningCommand.Start(startInfo, maxOutputChars, timeProvider);
        try
        {
            await command.Process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await command.KillTreeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await command.DrainAsync().ConfigureAwait(false);
            return new CommandResult(-1, command.Output.ToString(), TimedOut: true, timeProvider.GetElapsedTime(started));
        }

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
        options.PassThroughEnvironment.Any(pattern => pattern.EndsWith('*')
            ? name.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(name, pattern, StringComparison.OrdinalIgnoreCase));
}
