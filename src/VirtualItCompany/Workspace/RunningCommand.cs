using System.ComponentModel;
using System.Diagnostics;

namespace VirtualItCompany.Workspace;

/// <summary>
/// A started process whose interleaved output is read in fixed-size blocks into a capped head-and-tail buffer; disposing it kills
/// its whole process group (or sandbox) and tree.
/// </summary>
internal sealed class RunningCommand : IAsyncDisposable
{
    private const int BlockSize = 16 * 1024;

    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _timeProvider;
    private readonly Task _drained;
    private readonly long _maxOutputBytes;
    private readonly CancellationTokenSource _outputLimit = new();
    private readonly bool _ownGroup;

    private RunningCommand(Process process, int maxOutputChars, long maxOutputBytes, TimeProvider timeProvider, bool ownGroup)
    {
        Process = process;
        Output = new OutputTail(maxOutputChars);
        _timeProvider = timeProvider;
        _maxOutputBytes = maxOutputBytes;
        _ownGroup = ownGroup;
        _drained = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream), PumpAsync(process.StandardError.BaseStream));
    }

    /// <summary>Gets a token cancelled when the command has written more output than it may.</summary>
    public CancellationToken OutputLimitReached => _outputLimit.Token;

    /// <summary>Gets the process.</summary>
    public Process Process { get; }

    /// <summary>Gets the last characters of the process's output.</summary>
    public OutputTail Output { get; }

    /// <summary>Starts a process with redirected output and no input, with no limit on its output bytes (a deployed service).</summary>
    /// <exception cref="InvalidOperationException">The program could not be started.</exception>
    public static Task<RunningCommand> StartAsync(ProcessStartInfo startInfo, int maxOutputChars, TimeProvider timeProvider) =>
        StartAsync(startInfo, maxOutputChars, long.MaxValue, timeProvider);

    /// <summary>Starts a process with redirected output and no input, from the <see cref="ProcessLauncher"/>'s thread.</summary>
    /// <exception cref="InvalidOperationException">The program could not be started.</exception>
    public static async Task<RunningCommand> StartAsync(ProcessStartInfo startInfo, int maxOutputChars, long maxOutputBytes, TimeProvider timeProvider)
    {
        // Started through setsid (unsandboxed on Linux), the process leads a group of its own that can be killed whole.
        var ownGroup = OperatingSystem.IsLinux() && Path.GetFileName(startInfo.FileName) == "setsid";
        var process = new Process { StartInfo = startInfo };
        try
        {
            await ProcessLauncher.StartAsync(process).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{startInfo.FileName}': {ex.Message}", ex);
        }

        // Commands get no input: one that waits for it reads end-of-file instead of hanging.
        process.StandardInput.Close();
        return new RunningCommand(process, maxOutputChars, maxOutputBytes, timeProvider, ownGroup);
    }

    /// <summary>Waits a short while for the output to be read to its end; a grandchild still holding the pipes does not block the caller.</summary>
    public async Task DrainAsync()
    {
        try
        {
            await _drained.WaitAsync(DrainWait, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The rest of the output is lost; the process itself has ended.
        }
    }

    /// <summary>Kills the process, its process group and all its descendants (in the sandbox: its whole PID namespace), then waits for it to exit.</summary>
    public async Task KillTreeAsync()
    {
        if (_ownGroup)
        {
            _ = LinuxNative.Kill(-Process.Id, LinuxNative.SIGKILL);
        }

        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // It has already exited.
        }

        using var wait = new CancellationTokenSource(ExitWait, _timeProvider);
        try
        {
            await Process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The process would not die; there is nothing more to do than to let go of it.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!HasExited())
        {
            await KillTreeAsync().ConfigureAwait(false);
        }

        Process.Dispose();
        _outputLimit.Dispose();
    }

    private bool HasExited()
    {
        try
        {
            return Process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private async Task PumpAsync(Stream stream)
    {
        var block = new byte[BlockSize];
        try
        {
            while (await stream.ReadAsync(block).ConfigureAwait(false) is var read and > 0)
            {
                Output.Append(block.AsSpan(0, read));
                if (Output.TotalBytes > _maxOutputBytes && !_outputLimit.IsCancellationRequested)
                {
                    await _outputLimit.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe was closed under us when the process was disposed.
        }
    }
}
