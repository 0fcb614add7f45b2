using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany.WorkerHost.Tests;

/// <summary>Reads the shared database beside the workers (the SQLite and PostgreSQL stores share the queue's table and column names): who holds which lease now, and, once they stopped, every project.</summary>
internal sealed class SharedDatabase(TestStorage storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The leases the worker process holds now: item id and expiry (unix milliseconds).</summary>
    public async Task<Dictionary<string, long>> LeasesOfAsync(WorkerProcess worker)
    {
        var leases = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            await using var connection = await storage.OpenAsync(Ct);
            await using var command = Command(connection, "SELECT item_id, lease_expires_at FROM work_items WHERE lease_token IS NOT NULL AND lease_worker LIKE @pattern", ("pattern", worker.LeasePattern));
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                leases[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        catch (DbException)
        {
            // No table (or file) yet: the first worker has not created the schema.
        }

        return leases;
    }

    /// <summary>Waits until the worker holds at least one lease and at least <paramref name="minimumCompleted"/> items were completed in all.</summary>
    public async Task<Dictionary<string, long>> WaitForLeasesAsync(WorkerProcess worker, int minimumCompleted, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            var leases = await LeasesOfAsync(worker);
            if (leases.Count > 0 && await CountEventsAsync("%orkItemCompleted%") >= minimumCompleted)
            {
                return leases;
            }

            Assert.False(worker.HasExited, $"{worker.Name} ended:\n{worker.Output}");
            await Task.Delay(20, Ct);
        }

        Assert.Fail($"{worker.Name} held no lease within {limit} (or fewer than {minimumCompleted} items were completed):\n{worker.Output}");
        return [];
    }

    /// <summary>
    /// After a worker stopped answering (killed or paused): polls every 20 ms until each of its items is completed or
    /// leased by another worker; returns, per item, how long after <paramref name="since"/> that was seen.
    /// </summary>
    public async Task<Dictionary<string, TimeSpan>> WaitForTakeoverAsync(WorkerProcess worker, IReadOnlyDictionary<string, long> items, Stopwatch since, TimeSpan limit)
    {
        var taken = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        while (taken.Count < items.Count)
        {
            Assert.True(since.Elapsed < limit, $"{items.Count - taken.Count} item(s) of {worker.Name} were not taken over within {limit}.");
            await using var connection = await storage.OpenAsync(Ct);
            foreach (var (item, expiresAt) in items)
            {
                if (taken.ContainsKey(item))
                {
                    continue;
                }

                await using var command = Command(connection, "SELECT lease_worker FROM work_items WHERE item_id = @item", ("item", item));
                object? holder = await command.ExecuteScalarAsync(Ct);
                bool stillTheirs = holder is string w && w.Contains($":{worker.Id}:", StringComparison.Ordinal);
                if (!stillTheirs)
                {
                    var seen = since.Elapsed;
                    // Never before the dead worker's lease expired: the queue hands out an item only once its lease has lapsed.
                    long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    Assert.True(now >= expiresAt, $"{item} was taken {expiresAt - now} ms before {worker.Name}'s lease on it expired.");
                    taken[item] = seen;
                }
            }

            await Task.Delay(20, Ct);
        }

        return taken;
    }

    // LIKE is case-sensitive on PostgreSQL and not on SQLite: the pattern leaves out the first letter of the type name ("workItemCompleted").
    private async Task<long> CountEventsAsync(string typePattern)
    {
        try
        {
            await using var connection = await storage.OpenAsync(Ct);
            await using var command = Command(connection, "SELECT count(*) FROM events WHERE event LIKE @pattern", ("pattern", typePattern));
            return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DbException)
        {
            return 0;
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Every project with its events and spend, and the company's balance, read through the store (the workers have stopped).</summary>
    public async Task<(List<(ProjectSnapshot Project, List<ProjectEvent> Events, BudgetBalance Balance)> Projects, BudgetBalance Company)> ReadAllAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        storage.Use(builder.Services.AddVirtualItCompany());
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<IProjectStore>();
        var budget = host.Services.GetRequiredService<IBudgetAccount>();
        var projects = new List<(ProjectSnapshot, List<ProjectEvent>, BudgetBalance)>();
        await foreach (var project in store.ListAsync(cancellationToken: Ct))
        {
            var events = await store.ReadEventsAsync(project.Id, cancellationToken: Ct).ToListAsync(Ct);
            projects.Add((project, events, await budget.GetBalanceAsync(BudgetScope.ForProject(project.Id), Ct)));
        }

        return (projects, await budget.GetBalanceAsync(BudgetScope.Company, Ct));
    }
}
