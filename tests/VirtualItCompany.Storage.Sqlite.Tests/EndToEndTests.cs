using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany.Agents;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>The whole company on SQLite: an offline delivery runs to completion through the real runtime, and a new host on the same file sees the project, its events and its files.</summary>
public sealed class EndToEndTests : IAsyncDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly string _workspaces = Directory.CreateTempSubdirectory("vic-sqlite-e2e-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _temp.DisposeAsync();
        try
        {
            Directory.Delete(_workspaces, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task An_offline_delivery_completes_on_sqlite_and_a_new_host_on_the_same_file_sees_it()
    {
        var brief = new ProjectBrief
        {
            Title = "Recipe box",
            Description = "A small service where a café keeps its recipes.",
            AcceptanceCriteria = ["Lists the recipes", "Answers a health check"],
            Budget = 2m,
        };
        var seen = new List<ProjectEvent>();
        ProjectSnapshot done;
        using (var host = await StartAsync(withWorkers: true))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            done = await host.Services.GetRequiredService<IDeliveryCompany>().DeliverAsync(brief, new ClientHandlers { OnEvent = seen.Add }, timeout.Token);
            await host.StopAsync(CancellationToken.None);
        }

        Assert.True(done.Status == ProjectStatus.Completed, $"The project ended {done.Status}: {string.Join(" | ", seen.Select(e => e.Description))}");

        using var restarted = await StartAsync(withWorkers: false);
        var company = restarted.Services.GetRequiredService<IDeliveryCompany>();
        var again = await company.GetAsync(done.Id, Ct);
        Assert.Equal(ProjectStatus.Completed, again.Status);
        Assert.Equal(done.Version, again.Version);
        var events = await restarted.Services.GetRequiredService<IProjectStore>().ReadEventsAsync(done.Id, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(done.Version, events.Count);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.Version));
        Assert.IsType<ProjectCreated>(events[0]);
        Assert.IsType<ProjectCompleted>(events[^1]);
        Assert.Equal(events.OfType<ModelCallCompleted>().Count(), (int)again.ModelCalls);
        Assert.Contains(await company.ListAsync(ProjectStatus.Completed, Ct).ToListAsync(Ct), p => p.Id == done.Id);
        Assert.Equal(0, await restarted.Services.GetRequiredService<IWorkQueue>().CountAsync(Ct));
        var artifacts = await restarted.Services.GetRequiredService<IArtifactStore>().ListAsync(done.Id, Ct).ToListAsync(Ct);
        Assert.Contains(artifacts, a => a.Path == "Service/Program.cs");
        var companyBudget = await restarted.Services.GetRequiredService<IBudgetAccount>().GetBalanceAsync(BudgetScope.Company, Ct);
        Assert.Equal(done.Spent, companyBudget.Spent);
        Assert.Equal(0m, companyBudget.Reserved);
    }

    private async Task<IHost> StartAsync(bool withWorkers)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<WorkspaceOptions>(o => o.RootDirectory = _workspaces);
        builder.Services.Configure<AgentOptions>(o => o.MonitoringInterval = TimeSpan.FromMilliseconds(100));
        var company = builder.Services.AddVirtualItCompany(o => o.Workers = 4)
            .AddOfflineModel()
            .UseSqliteStorage(_temp.ConnectionString);
        if (withWorkers)
        {
            company.AddWorker();
        }

        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }
}
