using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>
/// A PostgreSQL server of one test, started, restarted and stopped by eng/test-servers.sh with a private state directory, so
/// that a test may restart it without disturbing the shared test server. Also compiled into the worker host tests.
/// </summary>
internal sealed partial class PrivatePostgreSqlServer : IAsyncDisposable
{
    private readonly string _stateDir;

    private PrivatePostgreSqlServer(string stateDir, string connectionString)
    {
        _stateDir = stateDir;
        ConnectionString = connectionString;
    }

    /// <summary>Gets the connection string of the server's superuser to its <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    public static async Task<PrivatePostgreSqlServer> StartAsync(CancellationToken cancellationToken)
    {
        string stateDir = Directory.CreateTempSubdirectory("vic-pg-private-").FullName;
        string output = await ScriptAsync(stateDir, "start", cancellationToken);
        var match = ExportLine().Match(output);
        Assert.True(match.Success, "eng/test-servers.sh start printed no VIRTUALITCOMPANY_TEST_POSTGRES: " + output);
        return new PrivatePostgreSqlServer(stateDir, match.Groups[1].Value);
    }

    /// <summary>Restarts the server (<c>pg_ctl restart -m fast</c>): every connection is closed, the data stays.</summary>
    public Task RestartAsync(CancellationToken cancellationToken) => ScriptAsync(_stateDir, "restart", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        string state = await File.ReadAllTextAsync(Path.Combine(_stateDir, "state"), CancellationToken.None);
        await ScriptAsync(_stateDir, "stop", CancellationToken.None);
        // Nothing is left running.
        var pid = PidLine().Match(state);
        Assert.True(pid.Success && !ProcessRuns(int.Parse(pid.Groups[1].Value, CultureInfo.InvariantCulture)), "The private PostgreSQL server still runs after stop.");
        Directory.Delete(_stateDir, recursive: true);
    }

    private static bool ProcessRuns(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<string> ScriptAsync(string stateDir, string command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoRoot(), "eng", "test-servers.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["VIRTUALITCOMPANY_TEST_SERVERS_DIR"] = stateDir;
        start.Environment["VIRTUALITCOMPANY_TEST_SERVERS_ONLY"] = "postgres";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        Assert.True(process.ExitCode == 0, $"eng/test-servers.sh {command} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "eng", "test-servers.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("eng/test-servers.sh was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("export VIRTUALITCOMPANY_TEST_POSTGRES='([^']*)'")]
    private static partial Regex ExportLine();

    [GeneratedRegex("PG_PID='([0-9]+)'")]
    private static partial Regex PidLine();
}
