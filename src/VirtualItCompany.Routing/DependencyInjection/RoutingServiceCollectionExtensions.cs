using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VirtualItCompany;
using VirtualItCompany.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the cost-aware router needs; the router itself is built in a chat pipeline (<c>UseCostAwareRouting</c>).</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Adds what routing needs without choosing the company's chat client: <see cref="RoutingOptions"/> bound from
    /// <c>VirtualItCompany:Routing</c> when configuration is available and validated at start, the <see cref="IBudgetAccount"/>
    /// (an <see cref="InMemoryBudgetAccount"/> whose company limit is <see cref="RoutingOptions.GlobalBudget"/>) and the
    /// <see cref="IComplexityEstimator"/> (each unless already registered). <c>AddVirtualItCompany</c> calls it.
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
        services.TryAddSingleton<IBudgetAccount>(sp => new InMemoryBudgetAccount(sp.GetRequiredService<IOptions<RoutingOptions>>().Value.GlobalBudget, sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IComplexityEstimator>(HeuristicComplexityEstimator.Instance);
        return services;
    }
}
