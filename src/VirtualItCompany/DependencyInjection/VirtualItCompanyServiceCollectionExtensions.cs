using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtualItCompany;
using VirtualItCompany.Agents;
using VirtualItCompany.DependencyInjection;
using VirtualItCompany.Lifecycle;
using VirtualItCompany.Routing;
using VirtualItCompany.Runtime;
using VirtualItCompany.Storage;
using VirtualItCompany.Workspace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the VirtualItCompany runtime to a service collection.</summary>
public static class VirtualItCompanyServiceCollectionExtensions
{
    /// <summary>Adds the company: the built-in agents, in-memory storage, local workspaces and the <see cref="IDeliveryCompany"/> facade.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code, after configuration (<c>VirtualItCompany:*</c>) is bound.</param>
    /// <returns>The builder, to pick storage (<c>Use*</c>), add models and agents (<c>Add*</c>), and <see cref="VirtualItCompanyBuilderExtensions.AddWorker"/>.</returns>
    /// <remarks>Options are validated when first used and at host start; a model must be added (e.g. <c>AddOfflineModel()</c>).</remarks>
    public static IVirtualItCompanyBuilder AddVirtualItCompany(this IServiceCollection services, Action<CompanyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CompanyOptions>();
        options.Configure<IServiceProvider>((o, sp) =>
        {
            if (sp.GetService<IConfiguration>()?.GetSection(CompanyOptions.SectionName) is { } section && section.Exists())
            {
                section.Bind(o);
            }
        });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CompanyOptions>, CompanyOptionsValidator>());
        ConfiguredOptions.Add(services);

        services.TryAddSingleton(TimeProvider.System);
        services.AddModelRouting();
        services.TryAddSingleton(CompanyChatPipeline.Create);
        if (!services.Any(d => d.ServiceType == typeof(IProjectStore)))
        {
            // In-memory storage unless the app registered a store (UseSqliteStorage..., or its own IProjectStore/IWorkQueue).
            new VirtualItCompanyBuilder(services).UseInMemoryStorage();
        }

        services.TryAddSingleton<IArtifactStore, InMemoryArtifactStore>();
        services.TryAddSingleton<LocalWorkspaceProvider>();
        // Registered before AddWorker's service, so it stops after the workers.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, DeploymentsShutdown>());
        services.TryAddSingleton<IWorkspaceProvider>(sp => sp.GetRequiredService<LocalWorkspaceProvider>());

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgent, ProjectManagerAgent>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgent, DesignerAgent>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgent, DevOpsAgent>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgent, DeveloperAgent>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgent, CodeReviewerAgent>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgent, TesterAgent>());

        // Commits of other processes reach watchers when an announcer is registered, or when the store is one.
        services.TryAddSingleton(sp => new ProjectEventFeed(sp.GetService<IProjectCommitAnnouncer>() ?? sp.GetRequiredService<IProjectStore>() as IProjectCommitAnnouncer));
        services.TryAddSingleton(sp => new LifecycleEngine(sp.GetRequiredService<IOptions<CompanyOptions>>().Value.Lifecycle));
        services.TryAddSingleton(sp => new LifecycleDecider(sp.GetRequiredService<LifecycleEngine>(), sp.GetRequiredService<IOptions<CompanyOptions>>().Value));
        services.TryAddSingleton(sp => new AgentDirectory(sp.GetServices<IAgent>()));
        services.TryAddSingleton<RunningWork>();
        services.TryAddSingleton<IModelOutcomeStatistics>(sp => new VirtualItCompany.Outcomes.ModelOutcomeStatistics(
            sp.GetRequiredService<IProjectStore>(),
            sp.GetRequiredService<IOptions<CompanyOptions>>().Value.Lifecycle,
            sp.GetRequiredService<IOptions<RoutingOptions>>().Value.OutcomeFeedback,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ProjectEventFeed>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CompanyOptions>>().Value;
            return new VirtualItCompany.Security.SecretRedactor(options.Secrets, options.RedactEnvironmentSecrets);
        });
        services.TryAddSingleton(sp => new CommitWriter(sp.GetRequiredService<IProjectStore>(), sp.GetRequiredService<ProjectEventFeed>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RunningWork>(), sp.GetRequiredService<IBudgetAccount>(), sp.GetRequiredService<VirtualItCompany.Security.SecretRedactor>()));
        services.TryAddSingleton(sp => new WorkOrchestrator(
            sp.GetRequiredService<RunningWork>(),
            sp.GetRequiredService<CommitWriter>(),
            sp.GetRequiredService<IWorkQueue>(),
            sp.GetRequiredService<IArtifactStore>(),
            sp.GetRequiredService<IWorkspaceProvider>(),
            sp.GetRequiredService<CompanyChatPipeline>().Client,
            sp.GetRequiredService<IBudgetAccount>(),
            sp.GetRequiredService<AgentDirectory>(),
            sp.GetRequiredService<LifecycleDecider>(),
            sp.GetRequiredService<IOptions<CompanyOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp,
            sp.GetService<ILoggerFactory>(),
            // The journal must be the project store's own: the store's commit is what removes an item's records.
            sp.GetRequiredService<IProjectStore>() as IModelCallJournal));
        services.TryAddSingleton(sp => new WorkDispatcher(
            sp.GetRequiredService<IWorkQueue>(),
            sp.GetRequiredService<WorkOrchestrator>(),
            sp.GetRequiredService<IOptions<CompanyOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<WorkDispatcher>>()));
        services.TryAddSingleton<IDeliveryCompany>(sp => new DeliveryCompany(
            sp.GetRequiredService<CommitWriter>(),
            sp.GetRequiredService<ProjectEventFeed>(),
            sp.GetRequiredService<LifecycleDecider>(),
            sp.GetRequiredService<IOptions<CompanyOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()));
        return new VirtualItCompanyBuilder(services);
    }
}
