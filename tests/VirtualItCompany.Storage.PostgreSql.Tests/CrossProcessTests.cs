using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>Two store instances on one schema stand for two processes: wake-ups, budgets and the live event feed reach across.</summary>
public sealed class CrossProcessTests
{
    [Fact]
    public async Task A_waiting_worker_wakes_when_another_process_enqueues()
    {
        await using var schema = new TempSchema();
        var waiter = await schema.OpenStoreAsync();
        var other = await schema.OpenStoreAsync();
        await waiter.WaitForWorkAsync(TimeSpan.Zero, Work.Ct);

        var wait = waiter.WaitForWorkAsync(TimeSpan.FromMinutes(10), Work.Ct).AsTask();
        await Task.Delay(100, Work.Ct);
        Assert.False(wait.IsCompleted, "The wait returned with nothing enqueued.");
        await Work.EnqueueAsync(other, 1, TimeProvider.System.GetUtcNow());

        await wait.WaitAsync(TimeSpan.FromSeconds(10), Work.Ct);
        Assert.NotNull(await waiter.TryLeaseAsync(new LeaseRequest("w", TimeSpan.FromMinutes(1), new HashSet<AgentRole>()), Work.Ct));
    }

    [Fact]
    public async Task Workers_of_two_processes_never_overspend_a_shared_budget()
    {
        await using var schema = new TempSchema();
        var accounts = new[] { new PostgreSqlBudgetAccount(await schema.OpenAsync()), new PostgreSqlBudgetAccount(await schema.OpenAsync()) };
        var project = ProjectId.New();
        await accounts[0].SetLimitAsync(BudgetScope.ForProject(project), 1m, Work.Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => accounts[i % 2].TryReserveAsync(new BudgetReservationRequest(project, 0.1m, $"worker-{i}"), Work.Ct).AsTask()));

        Assert.Equal(10, results.Count(r => r.IsGranted));
        var balance = await accounts[1].GetBalanceAsync(BudgetScope.ForProject(project), Work.Ct);
        Assert.Equal(1m, balance.Reserved);
        Assert.Equal(0m, balance.Spent);
    }

    [Fact]
    public async Task A_watcher_sees_the_events_another_process_commits()
    {
        await using var schema = new TempSchema();
        await using var web = Company(schema.Name);
        await using var worker = Company(schema.Name);
        var webCompany = web.GetRequiredService<IDeliveryCompany>();
        var project = await webCompany.SubmitAsync(new ProjectBrief { Title = "Feed", Description = "Watched across processes.", AcceptanceCriteria = ["works"], Budget = 5m }, Work.Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Work.Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var seen = new List<ProjectEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in webCompany.WatchAsync(project.Id, cancellationToken: timeout.Token))
            {
                seen.Add(e);
            }
        }, Work.Ct);
        // The watcher has read the history and listens: now the other process commits.
        while (seen.Count < project.Version)
        {
            await Task.Delay(20, Work.Ct);
        }

        await worker.GetRequiredService<IDeliveryCompany>().CancelAsync(project.Id, "cancelled by the worker host", Work.Ct);

        await watching;
        Assert.Equal("cancelled by the worker host", Assert.IsType<ProjectCancelled>(seen[^1]).Reason);
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(v => (long)v), seen.Select(e => e.Version));
    }

    private static ServiceProvider Company(string schema)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(new FakeChatClient("fake-model", new ModelPricing(1m, 2m)));
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        var builder = services.AddVirtualItCompany().UsePostgreSqlStorage(o =>
        {
            o.ConnectionString = TestPostgres.ConnectionString;
            o.Schema = schema;
        });
        foreach (var agent in ForwardAgent.ForAllRoles())
        {
            builder.AddAgent(agent);
        }

        return services.BuildServiceProvider();
    }
}
