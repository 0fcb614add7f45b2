using System.ComponentModel;
using System.Diagnostics;

namespace VirtualItCompany.Workspace;

/// <summary>A started process whose interleaved output is drained into a capped tail; disposing it kills its whole process tree.</summary>
internal sealed class RunningCommand : IAsyncDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _timeProvider;
    private readonly Task _drained;

    private RunningCommand(Process process, int maxOutputChars, TimeProvider timeProvider)
    {
        Process = process;
        Output = new OutputTail(maxOutputChars);
        _timeProvider = timeProvider;
        _drained = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    /// <summary>Gets the process.</summary>
    public Process Process { get; }

    /// <summary>Gets the last characters of the process's output.</summary>
    public OutputTail Output { get; }

    /// <summary>Starts a process with redirected output and no input.</summary>
    /// <exception cref="InvalidOperationException">The program could not be started.</exception>
    public static RunningCommand Start(ProcessStartInfo startInfo, int maxOutputChars, TimeProvider timeProvider)
    {
        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{startInfo.FileName}': {ex.Message}", ex);
        }

        // Commands get no input: one that waits for it reads end-of-file instead of hanging.
        process.StandardInput.Close();
        return new RunningCommand(process, maxOutputChars, timeProvider);
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

    /// <summary>Kills the process and all its descendants, then waits for it to exit.</summary>
    public async Task KillTreeAsync()
    {
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

    private async Task PumpAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Output.AppendLine(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe was closed under us when the process was disposed.
        }
    }
}
