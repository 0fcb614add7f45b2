using System.Diagnostics;

namespace VirtualItCompany.Tests.Samples;

/// <summary>The README's main command, run as a new user runs it: a real process, offline.</summary>
public sealed class QuickstartTests
{
    private static readonly string RepositoryRoot = FindRoot();

    [Fact]
    public async Task Quickstart_takes_a_brief_to_a_delivered_project_and_exits_zero()
    {
        // The README's command word for word (`dotnet run --project samples/Quickstart -- ...`); the other tests run the built program.
        var (exitCode, output) = await RunAsync(new Dictionary<string, string?>(), readmeCommand: true, "A recipe box for a small cafe. It lists recipes. It shows one recipe.", "--auto-approve");

        Assert.True(exitCode == 0, output);
        Assert.Contains("offline model, no AI", output, StringComparison.Ordinal);
        Assert.Contains("Project completed", output, StringComparison.Ordinal);
        Assert.Contains("passed, 0 failed", output, StringComparison.Ordinal);
        Assert.Contains("stateDiagram-v2", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--budget", "lots", "a brief")]
    [InlineData("--unknown", "a brief")]
    [InlineData("-c", "--auto-approve", "a brief")]
    [InlineData("--resume")]
    [InlineData("--provider", "watson", "a brief")]
    [InlineData("--model", "llama3.2", "a brief")]
    [InlineData("--provider", "openai-compatible", "--model", "qwen", "a brief")]
    [InlineData("--provider", "ollama", "--base-url", "not a url", "a brief")]
    [InlineData("--db", "company.db", "--resume", "a brief")]
    public async Task Quickstart_prints_usage_and_exits_2_on_bad_input(params string[] args)
    {
        var (exitCode, output) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: dotnet run --project samples/Quickstart", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai", "OPENAI_API_KEY")]
    [InlineData("anthropic", "ANTHROPIC_API_KEY")]
    [InlineData("groq", "GROQ_API_KEY")]
    public async Task Quickstart_without_the_providers_key_says_what_to_set_and_exits_2_without_falling_back_to_offline(string provider, string variable)
    {
        // No key in the environment or configuration: the run must stop before any work, naming what to set.
        var (exitCode, output) = await RunAsync(new Dictionary<string, string?> { [variable] = null, [$"VirtualItCompany__Providers__{char.ToUpperInvariant(provider[0])}{provider[1..]}__ApiKey"] = null }, "A recipe box. It lists recipes.", "--auto-approve", "--provider", provider);

        Assert.True(exitCode == 2, output);
        Assert.Contains("The model provider cannot be used", output, StringComparison.Ordinal);
        Assert.Contains(variable, output, StringComparison.Ordinal);
        Assert.DoesNotContain("offline", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("RequirementsAnalysis", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_with_an_unreachable_local_provider_says_what_to_start_and_exits_2()
    {
        var (exitCode, output) = await RunAsync(new Dictionary<string, string?> { ["OLLAMA_HOST"] = "127.0.0.1:9" }, "A recipe box. It lists recipes.", "--auto-approve", "--provider", "ollama", "--model", "llama3.2");

        Assert.True(exitCode == 2, output);
        Assert.Contains("not reachable at http://127.0.0.1:9", output, StringComparison.Ordinal);
        Assert.Contains("ollama serve", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_with_an_unusable_workspace_folder_says_why_at_start_and_exits_2()
    {
        string file = Path.GetTempFileName(); // a file where a folder must be

        var (exitCode, output) = await RunAsync("A recipe box. It lists recipes.", "--auto-approve", "--workspace", Path.Combine(file, "workspaces"));

        File.Delete(file);
        Assert.True(exitCode == 2, output);
        Assert.Contains("The company cannot start", output, StringComparison.Ordinal);
        Assert.Contains("VirtualItCompany:Workspace: RootDirectory", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_stops_on_SIGTERM_like_on_Ctrl_C_and_exits()
    {
        string dll = await Built.Value;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in (string[])[dll, "A recipe box for a small cafe. It lists recipes.", "--auto-approve"])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new System.Text.StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("RequirementsAnalysis", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await started.Task.WaitAsync(timeout.Token);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The quickstart did not stop on SIGTERM: " + output);
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        Assert.Contains("Stopped (Ctrl+C or SIGTERM)", text, StringComparison.Ordinal);
        Assert.Equal(1, process.ExitCode);
    }

    [Fact]
    public async Task Quickstart_killed_mid_run_with_a_database_resumes_its_project_to_completion()
    {
        string dll = await Built.Value;
        string folder = Directory.CreateTempSubdirectory("vic-quickstart-db-").FullName;
        string database = Path.Combine(folder, "company.db");
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var a in (string[])[dll, "A recipe box for a small cafe. It lists recipes. It shows one recipe.", "--auto-approve", "--db", database])
            {
                start.ArgumentList.Add(a);
            }

            using (var process = Process.Start(start)!)
            {
                process.StandardInput.Close();
                var midway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                process.OutputDataReceived += (_, e) =>
                {
                    if (e.Data?.Contains("== FeatureDevelopment", StringComparison.Ordinal) == true)
                    {
                        midway.TrySetResult();
                    }
                };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                await midway.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
                process.Kill(entireProcessTree: true); // SIGKILL: a crash, nothing runs on the way out
                await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            var (exitCode, output) = await RunAsync("--db", database, "--resume", "--auto-approve");

            Assert.True(exitCode == 0, output);
            Assert.Contains("Resuming A recipe box for a small cafe", output, StringComparison.Ordinal);
            Assert.Contains("Project completed", output, StringComparison.Ordinal);
            var again = await RunAsync("--db", database, "--resume");
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.Contains("Nothing to resume", again.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Quickstart_killed_with_SIGKILL_leaves_no_deployed_service_running(bool sandboxed)
    {
        string dll = await Built.Value;
        string workspaces = Directory.CreateTempSubdirectory("vic-quickstart-kill-").FullName;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in (string[])[dll, "A recipe box for a small cafe. It lists recipes.", "--auto-approve", "--workspace", workspaces, .. sandboxed ? (string[])[] : ["--unsandboxed"]])
        {
            start.ArgumentList.Add(a);
        }

        if (!sandboxed)
        {
            start.Environment["VirtualItCompany__Workspace__BubblewrapProgram"] = "/nonexistent/bwrap"; // as on a machine without bubblewrap
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var staged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("== ClientReview", StringComparison.Ordinal) == true)
            {
                staged.TrySetResult(); // staging is deployed and answering
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await staged.Task.WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
            var services = ProcessesUnder(workspaces);
            Assert.True(services.Count > 0, "No deployed service was found running under the workspace folder:\n" + output);
            Assert.Equal(sandboxed, services.Any(s => s.CommandLine.Contains("bwrap", StringComparison.Ordinal)));

            // SIGKILL to the host alone, not its tree: a crash, nothing of the host runs on the way out.
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);

            var deadline = Stopwatch.StartNew();
            while (ProcessesUnder(workspaces).Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            var left = ProcessesUnder(workspaces);
            Assert.True(left.Count == 0, $"Outlived the killed host: {string.Join("; ", left)}");
        }
        finally
        {
            foreach (var pid in ProcessesUnder(workspaces).Select(p => p.Pid))
            {
                try
                {
                    using var leftover = Process.GetProcessById(pid);
                    leftover.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Gone.
                }
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(workspaces, recursive: true);
        }
    }

    /// <summary>Live processes whose command line names <paramref name="folder"/> or whose working folder is inside it.</summary>
    private static List<(int Pid, string CommandLine)> ProcessesUnder(string folder)
    {
        var found = new List<(int, string)>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ').Trim();
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                var zombie = stat[(stat.LastIndexOf(')') + 2)..][0] is 'Z' or 'X';
                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).LinkTarget ?? "";
                if (!zombie && (commandLine.Contains(folder, StringComparison.Ordinal) || cwd.StartsWith(folder, StringComparison.Ordinal)))
                {
                    found.Add((pid, commandLine));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Ended meanwhile, or not ours to read.
            }
        }

        return found;
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string file, string[] args, TimeSpan limit)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// samples/Quickstart built once for the whole run (a build, even with nothing to do, takes seconds; each test building
    /// or `dotnet run`-ning it again made this class the longest of the suite), then run as a program.
    /// </summary>
    private static readonly Lazy<Task<string>> Built = new(async () =>
    {
        var build = await RunProcessAsync("dotnet", ["build", "samples/Quickstart", "-v", "q", "-nologo"], TimeSpan.FromMinutes(5));
        return build.ExitCode == 0
            ? Path.Combine(RepositoryRoot, "samples", "Quickstart", "bin", "Debug", "net10.0", "Quickstart.dll")
            : throw new InvalidOperationException("samples/Quickstart did not build:\n" + build.Output);
    });

    private static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), readmeCommand: false, args);

    private static Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string?> environment, params string[] args) => RunAsync(environment, readmeCommand: false, args);

    private static async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string?> environment, bool readmeCommand, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in readmeCommand ? (string[])["run", "--project", "samples/Quickstart", "--", .. args] : [await Built.Value, .. args])
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualItCompany.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with VirtualItCompany.sln) was not found above " + AppContext.BaseDirectory);
    }
}
