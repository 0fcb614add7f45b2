using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>Starts a chat pipeline that ends in the cost-aware router over registered models.</summary>
public static class CostAwareRouting
{
    /// <summary>
    /// Creates a pipeline builder with no model of its own: add middleware (logging, telemetry, function invocation),
    /// then end it with <see cref="CostAwareRoutingChatClientBuilderExtensions.UseCostAwareRouting(ChatClientBuilder, IEnumerable{RoutedModel}, RoutingOptions?)"/>,
    /// which routes among the models it is given.
    /// </summary>
    /// <returns>The builder.</returns>
    /// <example><code>
    /// IChatClient client = CostAwareRouting.CreateBuilder()
    ///     .UseOpenTelemetry()
    ///     .UseCostAwareRouting(models, RoutingOptions.ForModels(models.Select(m => m.Profile), options))
    ///     .Build(services);
    /// </code></example>
    public static ChatClientBuilder CreateBuilder() => new(RoutedModelsOnly.Instance);
}
