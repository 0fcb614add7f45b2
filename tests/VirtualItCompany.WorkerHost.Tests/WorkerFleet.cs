using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VirtualItCompany.WorkerHost.Tests;

/// <summary>
/// The worker host processes of one test, over one database and one workspace folder. Every process it started is killed
/// (SIGKILL, whole tree) when the test ends, passed or failed.
/// </summary>
internal sealed class WorkerFleet : IAsyncDisposable
{
    private readonly List<WorkerProcess> _processes = [];

    public WorkerFleet(string name, Func<string, Task<TestStorage>> storage, params string[] settings)
    {
        Folder = Directory.CreateTempSubdirectory($"vic-workerhost-{name}-").FullName;
        _storage = storage;
        _settings = settings;
    }

    private readonly Func<string, Task<TestStorage>> _storage;
    private readonly string[] _settings;

    /// <summary>Creates the database; call once before starting anything.</summary>
    public async Task<SharedDatabase> CreateDatabaseAsync()
    {
        Storage = await _storage(Folder);
        Settings =
        [
            .. Storage.Settings,
            $"--VirtualItCompany:Workspace:RootDirectory={Path.Combine(Folder, "workspaces")}",
            "--WorkerHost:Commands=Simulated",
            "--WorkerHost:PlayClient=true",
            "--WorkerHost:ClientPollInterval=00:00:00.200",
            "--WorkerHost:HealthLogInterval=00:00:05",
            .. _settings,
        ];
        return new SharedDatabase(Storage);
    }

    public string Folder { get; }

    public TestStorage? Storage { get; private set; }

    public IReadOnlyList<string> Settings { get; private set; } = [];

    /// <summary>Starts <c>WorkerHost run</c> with the fleet's settings and these.</summary>
    public WorkerProcess StartWorker(string name, params string[] settings) => Start(name, ["run", .. Settings, .. settings]);

    /// <summary>Runs a command (submit, wait, status) to its end; fails the test when it does not end in time.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string name, TimeSpan limit, params string[] arguments)
    {
        var process = Start(name, arguments.Length > 0 && arguments[0] == "submit" ? [arguments[0], arguments[1], .. Settings, .. arguments[2..]] : [arguments[0], .. Settings, .. arguments[1..]]);
        int? exit = await process.WaitForExitAsync(limit);
        Assert.True(exit is not null, $"'{string.Join(' ', arguments)}' did not end within {limit}:\n{process.Output}");
        return (exit.Value, process.Output);
    }

    private WorkerProcess Start(string name, string[] arguments)
    {
        var process = WorkerProcess.Start(name, arguments);
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.KillTree();
        }

        foreach (var process in _processes)
        {
            await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            process.Dispose();
        }

        if (Storage is not null)
        {
            await Storage.DisposeAsync();
        }

        if (Environment.GetEnvironmentVariable("VIC_WORKERHOST_KEEP") is null)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        else
        {
            // Kept for a look after the run: the folder, and each process's whole output beside it.
            foreach (var process in _processes)
            {
                await File.WriteAllTextAsync(Path.Combine(Folder, process.Name.Replace(' ', '-') + ".log"), process.Output, CancellationToken.None);
            }

            TestContext.Current.TestOutputHelper?.WriteLine("kept: " + Folder);
        }
    }
}

/// <summary>One <c>dotnet WorkerHost.dll</c> process, its output collected.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The part of the worker ids this process puts on its leases (<c>machine:pid:suffix</c>).</summary>
    public string LeasePattern => $"%:{Id.ToString(CultureInfo.InvariantCulture)}:%";

    public static WorkerProcess Start(string name, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(HostPath());
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var worker = new WorkerProcess(name, process);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Append(line).Append('\n');
            }
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; <see langword="false"/> when it did not within the limit or the process ended first.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (waited.Elapsed > limit || HasExited)
            {
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }

        return true;
    }

    /// <summary>Sends a signal (KILL, STOP, CONT, TERM) to this process only.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(kill.ExitCode == 0, $"kill -{signal} {Id} failed.");
    }

    /// <summary>Waits for the process to end; <see langword="null"/> when it did not within the limit.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            _process.WaitForExit(); // the output is read to its end
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL to the process and everything it started (a stopped process dies too).</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose() => _process.Dispose();

    private static string HostPath()
    {
        // tests/VirtualItCompany.WorkerHost.Tests/bin/<configuration>/<tfm>/ -> samples/WorkerHost/bin/<configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = here.Name, configuration = here.Parent!.Name;
        string path = Path.Combine(here.Parent.Parent!.Parent!.Parent!.Parent!.FullName, "samples", "WorkerHost", "bin", configuration, tfm, "WorkerHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The worker host is not built; build samples/WorkerHost.", path);
    }
}
