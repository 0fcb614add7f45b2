using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany;
using VirtualItCompany.Routing;

namespace Microsoft.Extensions.AI;

/// <summary>Adds the cost-aware router to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class CostAwareRoutingChatClientBuilderExtensions
{
    /// <summary>
    /// Routes each call of the pipeline to the cheapest model that can do it: the builder's inner client (described by
    /// <paramref name="innerProfile"/>) and <paramref name="otherModels"/>. The ledger, clock and complexity estimator come
    /// from the pipeline's services when registered.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="innerProfile">What the builder's inner client costs and can do.</param>
    /// <param name="otherModels">The other models to route among.</param>
    /// <param name="configure">Configures the routing options (bands, thresholds, resilience), or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="RoutingConfigurationException">When the pipeline is built: the options or models are not valid (e.g. a band with no model); every problem is listed.</exception>
    public static ChatClientBuilder UseCostAwareRouting(this ChatClientBuilder builder, ModelProfile innerProfile, IEnumerable<RoutedModel>? otherModels = null, Action<RoutingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(innerProfile);
        var others = otherModels?.ToList() ?? [];
        return builder.Use((inner, services) =>
        {
            var options = new RoutingOptions();
            configure?.Invoke(options);
            return new CostAwareRoutingChatClient(
                [new RoutedModel(innerProfile, inner), .. others],
                options,
                services.GetService<BudgetLedger>(),
                services.GetService<TimeProvider>(),
                services.GetService<IComplexityEstimator>(),
                services.GetService<ILoggerFactory>()?.CreateLogger<CostAwareRoutingChatClient>());
        });
    }
}
