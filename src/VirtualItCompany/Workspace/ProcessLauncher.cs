using System.Collections.Concurrent;
using System.Diagnostics;

namespace VirtualItCompany.Workspace;

/// <summary>
/// Starts every workspace process from one thread that lives as long as the app.
/// </summary>
/// <remarks>
/// Commands and deployed services are tied to the app's life by the parent-death signal (<c>bwrap --die-with-parent</c>,
/// <c>setpriv --pdeathsig</c>), so that they die with it even when it is killed with SIGKILL. Linux sends that signal when the
/// <em>thread</em> that started the process ends, not the process: started from a thread-pool thread, a deployed service was
/// killed whenever the pool retired that thread (after some 20 idle seconds), for instance while the client reviewed staging.
/// This thread never ends before the app does.
/// </remarks>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = StartThread();

    /// <summary>Starts <paramref name="process"/> on the launcher thread.</summary>
    /// <returns>A task that completes when the process has started, or fails with the exception <see cref="Process.Start()"/> threw.</returns>
    public static Task StartAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    private static BlockingCollection<(Process, TaskCompletionSource)> StartThread()
    {
        var requests = new BlockingCollection<(Process, TaskCompletionSource)>();
        var thread = new Thread(() =>
        {
            foreach (var (process, started) in requests.GetConsumingEnumerable())
            {
                try
                {
                    process.Start();
                    started.SetResult();
                }
                catch (Exception ex)
                {
                    started.SetException(ex);
                }
            }
        })
        {
            IsBackground = true,
            Name = "VirtualItCompany process launcher",
        };
        // The first caller's execution context (its activity, its logging scopes) must not live on in the thread for good.
        thread.UnsafeStart();
        return requests;
    }
}
