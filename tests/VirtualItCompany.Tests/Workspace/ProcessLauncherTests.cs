using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.Workspace;

/// <summary>
/// Workspace processes carry the parent-death signal (the sandbox's <c>--die-with-parent</c>, else <c>setpriv --pdeathsig</c>), which
/// Linux sends when the starting <em>thread</em> ends: they must outlive the thread that asked for them, and die with the app.
/// </summary>
[Collection(nameof(CommandLimitTests))]
public sealed class ProcessLauncherTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_process_started_for_a_thread_that_then_ends_keeps_running(bool sandboxed)
    {
        var options = new WorkspaceOptions { RootDirectory = Directory.CreateTempSubdirectory("vic-launcher-").FullName };
        ScratchWorkspaces.AllowShell(options);
        if (!sandboxed)
        {
            options.BubblewrapProgram = "/nonexistent/bwrap";
            options.AllowUnsandboxedCommands = true;
        }

        var runner = new CommandRunner(options, TimeProvider.System);
        Assert.Equal(sandboxed, runner.Sandbox.IsAvailable);
        var sleep = ProcessProbe.UniqueSleep();
        var startInfo = runner.CreateStartInfo(["sleep", sleep], options.RootDirectory, options.RootDirectory, SandboxProfile.Deployment, TimeSpan.FromMinutes(5));
        RunningCommand? command = null;
        Exception? failure = null;

        // The way a deployment is started from a thread-pool thread that the pool later retires: the thread asks, lives on
        // long enough for the process to take its parent-death signal, then ends.
        var thread = new Thread(() =>
        {
            try
            {
                command = RunningCommand.StartAsync(startInfo, 1024, TimeProvider.System).GetAwaiter().GetResult();
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        Assert.Null(failure);

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            Assert.False(command!.Process.HasExited, $"The process died with the thread that started it: {command.Output}");
            Assert.NotEmpty(ProcessProbe.FindByArgument(sleep));
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }

            Directory.Delete(options.RootDirectory, recursive: true);
        }

        Assert.True(await ProcessProbe.NoneWithArgumentWithinAsync(sleep, TimeSpan.FromSeconds(5)));
    }
}
