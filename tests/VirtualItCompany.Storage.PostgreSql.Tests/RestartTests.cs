using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>
/// PostgreSQL restarted mid-run (pg_ctl restart of a private server started by eng/test-servers.sh, so the shared test
/// server is left alone): the workers' operations fail, are retried with backoff, and the run finishes with every item
/// committed exactly once.
/// </summary>
public sealed partial class RestartTests
{
    private const int Items = 300;

    [Fact]
    public async Task The_store_carries_on_after_a_server_restart_with_no_work_lost_or_doubled()
    {
        await using var server = await PrivateServer.StartAsync();
        var options = new PostgreSqlStorageOptions { ConnectionString = server.ConnectionString, Schema = "restart_test", MaxRetryAttempts = 20, RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromSeconds(2) };
        await using var first = await PostgreSqlDatabase.OpenAsync(options, TimeProvider.System, cancellationToken: Work.Ct);
        await using var second = await PostgreSqlDatabase.OpenAsync(options, TimeProvider.System, cancellationToken: Work.Ct);
        var stores = new[] { new PostgreSqlCompanyStore(first), new PostgreSqlCompanyStore(second) };
        var (snapshot, ids) = await Work.EnqueueAsync(stores[0], Items, TimeProvider.System.GetUtcNow());
        int committed = 0;

        var workers = stores.Select((store, n) => Task.Run(() => RunAsync(store, $"w{n}"), Work.Ct)).ToArray();
        while (Volatile.Read(ref committed) < Items / 3)
        {
            await Task.Delay(10, Work.Ct);
        }

        await server.RestartAsync();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3), Work.Ct);

        var done = await Work.DoneAsync(stores[0]);
        Assert.Equal(ids.Order(StringComparer.Ordinal), done.Select(d => d.Message.Key).Order(StringComparer.Ordinal));
        Assert.Equal(0, await stores[0].CountAsync(Work.Ct));
        Assert.True(first.Retries + second.Retries > 0, "The restart made no operation fail and retry: it came too late to test anything.");

        async Task RunAsync(PostgreSqlCompanyStore store, string worker)
        {
            while (true)
            {
                // Short leases: a lease granted by a statement whose reply the restart lost is held by nobody, and lapses soon.
                var lease = await store.TryLeaseAsync(new LeaseRequest(worker, TimeSpan.FromSeconds(3), new HashSet<AgentRole>()), Work.Ct);
                if (lease is null)
                {
                    if (await store.CountAsync(Work.Ct) == 0)
                    {
                        return;
                    }

                    await Task.Delay(20, Work.Ct);
                    continue;
                }

                try
                {
                    await store.CommitAsync(Work.Settle(snapshot, lease, worker), Work.Ct);
                    Interlocked.Increment(ref committed);
                }
                catch (LeaseLostException)
                {
                    // The restart outlasted the lease: another try commits the item.
                }
            }
        }
    }

    /// <summary>A PostgreSQL server of the test's own, started, restarted and stopped by eng/test-servers.sh with a private state directory.</summary>
    private sealed partial class PrivateServer : IAsyncDisposable
    {
        private readonly string _stateDir;

        private PrivateServer(string stateDir, string connectionString)
        {
            _stateDir = stateDir;
            ConnectionString = connectionString;
        }

        public string ConnectionString { get; }

        public static async Task<PrivateServer> StartAsync()
        {
            string stateDir = Directory.CreateTempSubdirectory("vic-pg-restart-").FullName;
            string output = await ScriptAsync(stateDir, "start");
            var match = ExportLine().Match(output);
            Assert.True(match.Success, "eng/test-servers.sh start printed no VIRTUALITCOMPANY_TEST_POSTGRES: " + output);
            return new PrivateServer(stateDir, match.Groups[1].Value);
        }

        public Task RestartAsync() => ScriptAsync(_stateDir, "restart");

        public async ValueTask DisposeAsync()
        {
            string state = await File.ReadAllTextAsync(Path.Combine(_stateDir, "state"), Work.Ct);
            await ScriptAsync(_stateDir, "stop");
            // Nothing is left running.
            var pid = PidLine().Match(state);
            Assert.True(pid.Success && !ProcessRuns(int.Parse(pid.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)), "The private PostgreSQL server still runs after stop.");
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

        private static async Task<string> ScriptAsync(string stateDir, string command)
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(RepoRoot(), "eng", "test-servers.sh"), command])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["VIRTUALITCOMPANY_TEST_SERVERS_DIR"] = stateDir;
            start.Environment["VIRTUALITCOMPANY_TEST_SERVERS_ONLY"] = "postgres";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(Work.Ct);
            var stderr = process.StandardError.ReadToEndAsync(Work.Ct);
            await process.WaitForExitAsync(Work.Ct).WaitAsync(TimeSpan.FromMinutes(2), Work.Ct);
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
}
