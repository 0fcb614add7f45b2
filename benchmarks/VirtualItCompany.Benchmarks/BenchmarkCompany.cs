using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Runtime;
using VirtualItCompany.Storage;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Benchmarks;

/// <summary>A company wired in memory the way the tests wire it: forward agents, the zero-latency fake model, in-memory workspaces and store.</summary>
internal sealed class BenchmarkCompany : IAsyncDisposable
{
    public BenchmarkCompany(int workers = 4, int featureCount = 2, bool callModel = true, Func<IServiceProvider, IProjectStore>? projectStore = null)
    {
        var services = new ServiceCollection();
        Model = new FakeChatClient("fake-model", new ModelPricing(1m, 2m));
        services.AddSingleton<IChatClient>(Model);
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        if (projectStore is not null)
        {
            // Registered before AddVirtualItCompany, whose TryAdd then keeps it.
            services.AddSingleton(projectStore);
        }

        var builder = services.AddVirtualItCompany(o => o.Workers = workers);
        // The built-in agents are not registered on this branch: every role gets a forward agent.
        foreach (var agent in ForwardAgent.ForAllRoles(featureCount))
        {
            builder.AddAgent(callModel ? agent : new SilentForwardAgent(agent));
        }

        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Company = Services.GetRequiredService<IDeliveryCompany>();
        Store = Services.GetRequiredService<InMemoryCompanyStore>();
        Queue = Services.GetRequiredService<IWorkQueue>();
        Orchestrator = Services.GetRequiredService<WorkOrchestrator>();
        Dispatcher = Services.GetRequiredService<WorkDispatcher>();
        Feed = Services.GetRequiredService<ProjectEventFeed>();
        FeatureCount = featureCount;
    }

    public ServiceProvider Services { get; }

    public IDeliveryCompany Company { get; }

    public InMemoryCompanyStore Store { get; }

    public IWorkQueue Queue { get; }

    public WorkOrchestrator Orchestrator { get; }

    public WorkDispatcher Dispatcher { get; }

    public ProjectEventFeed Feed { get; }

    public FakeChatClient Model { get; }

    public int FeatureCount { get; }

    /// <summary>Gets the work items one project commits on the default lifecycle's forward path: one per stage, two in set-up (DevOps, Designer), one per feature in development.</summary>
    public int ItemsPerProject => ItemsFor(FeatureCount);

    public static int ItemsFor(int featureCount) => 10 + featureCount;

    public static ProjectBrief Brief(int n) => new()
    {
        Title = "Todo service " + n,
        Description = "A small service that keeps a todo list.",
        AcceptanceCriteria = ["lists todos", "adds a todo"],
        Budget = 5m,
        Client = "Acme",
    };

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
