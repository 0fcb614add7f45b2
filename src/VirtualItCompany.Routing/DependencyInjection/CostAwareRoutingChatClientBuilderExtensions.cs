using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VirtualItCompany;
using VirtualItCompany.Routing;

namespace Microsoft.Extensions.AI;

/// <summary>Adds the cost-aware router to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class CostAwareRoutingChatClientBuilderExtensions
{
    /// <summary>
    /// Routes each call of the pipeline to the cheapest model that can do it: the builder's inner client (described by
    /// <paramref name="innerProfile"/>) and <paramref name="otherModels"/>. The <see cref="IBudgetAccount"/>, clock,
    /// complexity estimator, outcome statistics and logger factory come from the pipeline's services when registered.
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
            return Create([new RoutedModel(innerProfile, inner), .. others], options, services);
        });
    }

    /// <summary>
    /// Ends a pipeline started with <see cref="CostAwareRouting.CreateBuilder"/> with the router over
    /// <paramref name="models"/>, every model the pipeline may call (such as the company's registered models).
    /// Middleware goes before this call, so it wraps the router; the router has no inner client, and building a
    /// pipeline that gives it one (a builder not from <see cref="CostAwareRouting.CreateBuilder"/>, or middleware added
    /// after this call) fails rather than silently ignoring it. With one model and no bands configured, that model
    /// serves every complexity (<see cref="RoutingOptions.ForModels"/>). The <see cref="IBudgetAccount"/>, clock,
    /// complexity estimator, outcome statistics and logger factory come from the pipeline's services when registered.
    /// </summary>
    /// <param name="builder">The pipeline builder, from <see cref="CostAwareRouting.CreateBuilder"/>.</param>
    /// <param name="models">The models to route among.</param>
    /// <param name="options">The routing options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">When the pipeline is built: the router was given an inner client it would never call.</exception>
    /// <exception cref="RoutingConfigurationException">When the pipeline is built: the options or models are not valid; every problem is listed.</exception>
    public static ChatClientBuilder UseCostAwareRouting(this ChatClientBuilder builder, IEnumerable<RoutedModel> models, RoutingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(models);
        var list = models.ToList();
        return builder.Use((inner, services) =>
        {
            if (inner is not RoutedModelsOnly)
            {
                throw new InvalidOperationException(
                    $"UseCostAwareRouting(models) routes only among the models it is given, so its inner client ({inner.GetType().Name}) would never be called. " +
                    "Start the pipeline with CostAwareRouting.CreateBuilder() and add middleware before UseCostAwareRouting, or route the inner client too with UseCostAwareRouting(innerProfile, otherModels).");
            }

            return Create(list, RoutingOptions.ForModels(list.Select(m => m?.Profile!).Where(p => p is not null), options), services);
        });
    }

    private static CostAwareRoutingChatClient Create(IEnumerable<RoutedModel> models, RoutingOptions options, IServiceProvider services) =>
        new(
            models,
            options,
            services.GetService<IBudgetAccount>(),
            services.GetService<TimeProvider>(),
            services.GetService<IComplexityEstimator>(),
            services.GetService<ILoggerFactory>()?.CreateLogger<CostAwareRoutingChatClient>(),
            // The journal is the project store's own (its commit removes an item's records), when it keeps one.
            services.GetService<IProjectStore>() as IModelCallJournal,
            services.GetService<IModelOutcomeStatistics>());
}
