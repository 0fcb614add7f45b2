using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Runtime;
using VirtualItCompany.Storage.Sqlite;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Benchmarks;

/// <summary>A company wired in memory the way the tests wire it: forward agents, the zero-latency fake model, in-memory workspaces and store.</summary>
internal sealed class BenchmarkCompany : IAsyncDisposable
{
    /// <param name="workers">The dispatcher's workers.</param>
    /// <param name="featureCount">Features each project plans.</param>
    /// <param name="callModel">Whether agents make their one model call.</param>
    /// <param name="projectStore">A project store to register instead of the default one (in-memory storage only).</param>
    /// <param name="sqlite">SQLite storage in this file (<c>UseSqliteStorage</c>), or <see langword="null"/> for the in-memory store.</param>
    /// <param name="agents">The agents, or <see langword="null"/> for a forward agent for every role.</param>
    /// <param name="storage">Registers other storage on the builder (PostgreSQL, Redis), or <see langword="null"/>.</param>
    /// <param name="configure">Changes the container last (decorators).</param>
    /// <param name="modelLatency">How long each model call waits before the fake model answers (a simulated provider latency); zero for none.</param>
    public BenchmarkCompany(
        int workers = 4,
        int featureCount = 2,
        bool callModel = true,
        Func<IServiceProvider, IProjectStore>? projectStore = null,
        SqliteStorageOptions? sqlite = null,
        IEnumerable<IAgent>? agents = null,
        Action<IServiceCollection>? configure = null,
        Action<IVirtualItCompanyBuilder>? storage = null,
        TimeSpan modelLatency = default)
    {
        var services = new ServiceCollection();
        Model = new FakeChatClient("fake-model", new ModelPricing(1m, 2m));
        services.AddSingleton<IChatClient>(modelLatency > TimeSpan.Zero ? new SlowChatClient(Model, modelLatency) : Model);
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        if (projectStore is not null)
        {
            // Registered before AddVirtualItCompany, which then registers no storage: the decorated in-memory store's queue
            // and outbox are registered here too.
            services.AddSingleton<Storage.InMemoryCompanyStore>();
            services.AddSingleton(projectStore);
            services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<Storage.InMemoryCompanyStore>());
            services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<Storage.InMemoryCompanyStore>());
        }

        var builder = services.AddVirtualItCompany(o => o.Workers = workers);
        if (sqlite is not null)
        {
            builder.UseSqliteStorage(o =>
            {
                o.ConnectionString = sqlite.ConnectionString;
                o.Synchronous = sqlite.Synchronous;
                o.MaxBatchSize = sqlite.MaxBatchSize;
                o.PageSize = sqlite.PageSize;
                o.BusyTimeout = sqlite.BusyTimeout;
            });
        }

        storage?.Invoke(builder);

        // The built-in agents are not registered on this branch: every role gets a forward agent.
        foreach (var agent in agents ?? ForwardAgent.ForAllRoles(featureCount))
        {
            builder.AddAgent(callModel ? agent : new SilentForwardAgent(agent));
        }

        configure?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Company = Services.GetRequiredService<IDeliveryCompany>();
        Store = Services.GetRequiredService<IProjectStore>();
        Queue = Services.GetRequiredService<IWorkQueue>();
        Orchestrator = Services.GetRequiredService<WorkOrchestrator>();
        Dispatcher = Services.GetRequiredService<WorkDispatcher>();
        Feed = Services.GetRequiredService<ProjectEventFeed>();
        FeatureCount = featureCount;
    }

    public ServiceProvider Services { get; }

    public IDeliveryCompany Company { get; }

    /// <summary>Gets the project store: the in-memory one, or the SQLite one.</summary>
    public IProjectStore Store { get; }

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

/// <summary>Waits a fixed time before each call to the model it wraps: a provider's latency, spent waiting.</summary>
internal sealed class SlowChatClient(IChatClient inner, TimeSpan latency) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await Task.Delay(latency, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
    }
}
