using Microsoft.Extensions.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VirtualItCompany;
using VirtualItCompany.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Wires the cost-aware router in as the application's <see cref="IChatClient"/>.</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Makes a <see cref="CostAwareRoutingChatClient"/> over every <see cref="ModelRegistration"/> (added with <c>AddModel</c>)
    /// THE <see cref="IChatClient"/> singleton, replacing any <see cref="IChatClient"/> registered before. Options are bound from
    /// <c>VirtualItCompany:Routing</c> when configuration is available, then <paramref name="configure"/> runs; both are validated.
    /// The <see cref="BudgetLedger"/>, <see cref="IComplexityEstimator"/> and <see cref="TimeProvider"/> are taken from the services when registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options in code, or <see langword="null"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection UseCostAwareRouting(this IServiceCollection services, Action<RoutingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddModelRouting(configure);
        services.TryAddSingleton(sp => new CostAwareRoutingChatClient(
            sp.GetServices<ModelRegistration>().Select(r => new RoutedModel(r.Profile, r.CreateClient(sp))),
            sp.GetRequiredService<IOptions<RoutingOptions>>().Value,
            sp.GetRequiredService<BudgetLedger>(),
            sp.GetService<TimeProvider>(),
            sp.GetRequiredService<IComplexityEstimator>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<CostAwareRoutingChatClient>()));
        services.RemoveAll<IChatClient>();
        services.AddSingleton<IChatClient>(sp => sp.GetRequiredService<CostAwareRoutingChatClient>());
        return services;
    }

    /// <summary>
    /// Adds what routing needs without choosing the company's chat client: <see cref="RoutingOptions"/> bound from
    /// <c>VirtualItCompany:Routing</c> when configuration is available and validated at start, the <see cref="BudgetLedger"/>
    /// and the <see cref="IComplexityEstimator"/> (each unless already registered). <c>AddVirtualItCompany</c> calls it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options in code, or <see langword="null"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddModelRouting(this IServiceCollection services, Action<RoutingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<RoutingOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<RoutingOptions>, RoutingOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoutingOptions>, RoutingOptionsSetup>());
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddSingleton(sp => new BudgetLedger(sp.GetRequiredService<IOptions<RoutingOptions>>().Value.GlobalBudget));
        services.TryAddSingleton<IComplexityEstimator>(HeuristicComplexityEstimator.Instance);
        return services;
    }

    /// <summary>Routes the company's model calls through the cost-aware router; see <see cref="UseCostAwareRouting(IServiceCollection, Action{RoutingOptions}?)"/>.</summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="configure">Configures the options in code, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IVirtualItCompanyBuilder UseCostAwareRouting(this IVirtualItCompanyBuilder builder, Action<RoutingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.UseCostAwareRouting(configure);
        return builder;
    }
}
