using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtualItCompany.DependencyInjection;
using VirtualItCompany.Storage;

namespace VirtualItCompany;

/// <summary>Configures the company: agents, the worker, storage.</summary>
public static class VirtualItCompanyBuilderExtensions
{
    /// <summary>Adds an agent; it does the work of its role, replacing the agent registered for that role before it.</summary>
    /// <typeparam name="TAgent">The agent type, created by the container as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IVirtualItCompanyBuilder AddAgent<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TAgent>(this IVirtualItCompanyBuilder builder)
        where TAgent : class, IAgent
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IAgent, TAgent>();
        return builder;
    }

    /// <summary>Adds an agent instance; it does the work of its role, replacing the agent registered for that role before it.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="agent">The agent.</param>
    /// <returns>The builder.</returns>
    public static IVirtualItCompanyBuilder AddAgent(this IVirtualItCompanyBuilder builder, IAgent agent)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(agent);
        builder.Services.AddSingleton(agent);
        return builder;
    }

    /// <summary>
    /// Adds middleware to the agents' chat pipeline (caching, logging, a content filter): <paramref name="configure"/> calls
    /// <c>Use...</c> on the pipeline's <see cref="Microsoft.Extensions.AI.ChatClientBuilder"/>. The pipeline is built once:
    /// function invocation, OpenTelemetry, then what the app adds (in the order added), then the cost-aware router. Each call's
    /// options carry its work item's <see cref="ModelCallContext"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adds the middleware.</param>
    /// <returns>The builder.</returns>
    public static IVirtualItCompanyBuilder ConfigureChatPipeline(this IVirtualItCompanyBuilder builder, Action<Microsoft.Extensions.AI.ChatClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new ChatPipelineConfiguration(configure));
        return builder;
    }

    /// <summary>
    /// Keeps projects, the work queue, the outbox and artifacts in this process's memory (the default of
    /// <c>AddVirtualItCompany</c>; call it to replace storage registered before). Nothing survives the process, and
    /// only this process's workers see the work: use a durable store for anything else.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IVirtualItCompanyBuilder UseInMemoryStorage(this IVirtualItCompanyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.RemoveAll<IProjectStore>();
        services.RemoveAll<IWorkQueue>();
        services.RemoveAll<IOutbox>();
        services.RemoveAll<IArtifactStore>();
        services.TryAddSingleton<InMemoryCompanyStore>();
        services.AddSingleton<IProjectStore>(sp => sp.GetRequiredService<InMemoryCompanyStore>());
        services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<InMemoryCompanyStore>());
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<InMemoryCompanyStore>());
        services.AddSingleton<IArtifactStore, InMemoryArtifactStore>();
        return builder;
    }

    /// <summary>Adds a hosted service that runs the workers of this process for the life of the host.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IVirtualItCompanyBuilder AddWorker(this IVirtualItCompanyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, CompanyWorkerService>());
        return builder;
    }
}
