using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Providers.Offline.Tests;

/// <summary>A minimal real workspace for the tests: a temp directory, processes, and local deployments.</summary>
internal sealed class TestWorkspace : IProjectWorkspace, IAsyncDisposable
{
    private static readonly string[] SkippedFolders = ["bin", "obj", "out", ".git"];
    private readonly Dictionary<string, (Process Process, Uri Url, string HealthPath)> _deployments = [];
    private readonly Lock _lock = new();

    public ProjectId ProjectId { get; } = ProjectId.New();

    public string RootPath { get; } = Directory.CreateTempSubdirectory("vic-offline-").FullName;

    /// <summary>Gets or sets a canned answer to <see cref="RunAsync"/>, instead of running a process.</summary>
    public Func<CommandRequest, CommandResult>? CannedRun { get; set; }

    public List<CommandRequest> Commands { get; } = [];

    /// <summary>Reads a file with the test's cancellation token.</summary>
    public Task<string> ReadAsync(string path) => ReadFileAsync(path, TestContext.Current.CancellationToken);

    /// <summary>Lists the files with the test's cancellation token.</summary>
    public Task<IReadOnlyList<string>> FilesAsync(string path = "") => ListFilesAsync(path, TestContext.Current.CancellationToken);

    public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default) =>
        File.ReadAllTextAsync(Full(path), cancellationToken);

    public async Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        string full = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, content, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default)
    {
        string folder = Full(path);
        IReadOnlyList<string> files = !Directory.Exists(folder) ? [] : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RootPath, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').SkipLast(1).Any(SkippedFolders.Contains))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(files);
    }

    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        Commands.Add(request);
        if (CannedRun is not null)
        {
            return CannedRun(request);
        }

        using var process = Start(request.Arguments, Full(request.WorkingDirectory), port: null, out var output);
        var started = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            process.WaitForExit(); // drains the output
            return new CommandResult(process.ExitCode, Text(output), false, started.Elapsed);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new CommandResult(-1, Text(output), true, started.Elapsed);
        }
    }

    public Task<string?> CommitAsync(string message, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    public async Task<Uri> DeployAsync(string environment, DeploymentSpec spec, CancellationToken cancellationToken = default)
    {
        await StopAsync(environment, cancellationToken);
        if (spec.BuildCommand.Count > 0)
        {
            var build = await RunAsync(new CommandRequest(spec.BuildCommand), cancellationToken);
            if (!build.Succeeded)
            {
                throw new InvalidOperationException($"The build failed with exit code {build.ExitCode}: {build.Output[^Math.Min(2000, build.Output.Length)..]}");
            }
        }

        int port = FreePort();
        var process = Start(spec.StartCommand, RootPath, port, out _);
        var url = new Uri($"http://127.0.0.1:{port}/");
        lock (_lock)
        {
            _deployments[environment] = (process, url, spec.HealthPath);
        }

        return url;
    }

    public async Task<HealthChecked> CheckHealthAsync(string environment, CancellationToken cancellationToken = default)
    {
        (Process Process, Uri Url, string HealthPath) deployment;
        lock (_lock)
        {
            if (!_deployments.TryGetValue(environment, out deployment))
            {
                throw new InvalidOperationException($"Nothing is deployed to {environment}.");
            }
        }

        var url = new Uri(deployment.Url, deployment.HealthPath);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync(url, cancellationToken);
            return new HealthChecked(environment, url, response.StatusCode == HttpStatusCode.OK, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new HealthChecked(environment, url, false, null);
        }
    }

    public async Task StopAsync(string environment, CancellationToken cancellationToken = default)
    {
        Process? process = null;
        lock (_lock)
        {
            if (_deployments.Remove(environment, out var deployment))
            {
                process = deployment.Process;
            }
        }

        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(cancellationToken);
            process.Dispose();
        }
    }

    public IList<AITool> CreateFileTools(Action<string>? onFileWritten = null) =>
    [
        AIFunctionFactory.Create(([Description("Folder, relative; empty for the root")] string path) => ListFilesAsync(path), "list_files", "Lists the files below a folder."),
        AIFunctionFactory.Create(([Description("File path, relative")] string path) => ReadFileAsync(path), "read_file", "Reads a text file."),
        AIFunctionFactory.Create(
            async ([Description("File path, relative")] string path, [Description("The whole text of the file")] string content) =>
            {
                await WriteFileAsync(path, content);
                onFileWritten?.Invoke(path);
                return $"Wrote {path}";
            },
            "write_file",
            "Writes a text file, replacing it."),
        AIFunctionFactory.Create(
            async ([Description("Text to find")] string text) =>
            {
                var hits = new List<string>();
                foreach (var file in await ListFilesAsync())
                {
                    if ((await ReadFileAsync(file)).Contains(text, StringComparison.Ordinal))
                    {
                        hits.Add(file);
                    }
                }

                return hits;
            },
            "search_files",
            "Lists the files containing a text."),
    ];

    public async ValueTask DisposeAsync()
    {
        List<string> environments;
        lock (_lock)
        {
            environments = [.. _deployments.Keys];
        }

        foreach (var environment in environments)
        {
            await StopAsync(environment);
        }

        try
        {
            Directory.Delete(RootPath, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file; the temp folder is cleaned up by the OS.
        }
    }

    private string Full(string path)
    {
        if (Path.IsPathRooted(path) || path.Replace('\\', '/').Split('/').Contains(".."))
        {
            throw new WorkspacePathException($"The path \"{path}\" leaves the workspace.");
        }

        return Path.GetFullPath(Path.Combine(RootPath, path));
    }

    private static Process Start(IReadOnlyList<string> arguments, string workingDirectory, int? port, out StringBuilder output)
    {
        var info = new ProcessStartInfo(arguments[0]) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        // Builds started from a test run must not inherit its MSBuild settings nor leave build servers behind.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (port is { } p)
        {
            info.Environment["PORT"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var buffer = new StringBuilder();
        output = buffer;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(buffer, e.Data);
        process.ErrorDataReceived += (_, e) => Append(buffer, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is not null)
        {
            lock (buffer)
            {
                buffer.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
