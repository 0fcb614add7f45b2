using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany.Routing;

/// <summary>Decides what answers the company's model calls, from the models registered with <c>AddModel</c>.</summary>
public static class CostAwareRouting
{
    /// <summary>
    /// Creates the company's chat client: none for no registration, otherwise a <see cref="CostAwareRoutingChatClient"/>
    /// over the registered models, so every call is budgeted (reserved before, settled after, refused with
    /// <see cref="BudgetExhaustedException"/> when it cannot fit) and explained by a <see cref="RoutingDecision"/>.
    /// With exactly one registration and no bands configured, the policy is a single band 1-10 holding that model:
    /// one model serves every call. Bands configured explicitly are used as given; with more than one model the
    /// default bands apply, and a band none of whose models is registered is an error at start.
    /// </summary>
    public static IChatClient? CreateChatClient(
        IServiceProvider services,
        IEnumerable<ModelRegistration> registrations,
        RoutingOptions? options = null,
        BudgetLedger? ledger = null,
        TimeProvider? timeProvider = null,
        IComplexityEstimator? complexityEstimator = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registrations);
        var list = registrations.ToList();
        if (list.Count == 0)
        {
            return null;
        }

        options ??= new RoutingOptions();
        if (list.Count == 1 && options.Policy is { Bands.Count: 0 } && list[0]?.Profile?.Id is { } onlyId)
        {
            // One model serves every call: it must still be budgeted and explained, so it is routed like any other.
            options = options.WithPolicy(new RoutingPolicy { Bands = [new RoutingBand { MinComplexity = 1, MaxComplexity = 10, Models = [onlyId] }] });
        }

        var models = list.Select(r => new RoutedModel(r.Profile, r.CreateClient(services)));
        return new CostAwareRoutingChatClient(models, options, ledger, timeProvider, complexityEstimator, services.GetService<ILoggerFactory>()?.CreateLogger<CostAwareRoutingChatClient>());
    }
}
