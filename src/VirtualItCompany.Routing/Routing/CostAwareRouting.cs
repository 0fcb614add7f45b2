using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>Decides what answers the company's model calls, from the models registered with <c>AddModel</c>.</summary>
public static class CostAwareRouting
{
    /// <summary>
    /// Creates the company's chat client: none for no registration; the model's own client (answering for its price)
    /// for one; a <see cref="CostAwareRoutingChatClient"/> over all of them for more than one.
    /// </summary>
    /// <param name="services">The services, passed to each registration's client factory.</param>
    /// <param name="registrations">The registered models.</param>
    /// <param name="options">The routing options, or <see langword="null"/> for the defaults.</param>
    /// <param name="ledger">The budget ledger, or <see langword="null"/> for a new one.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="complexityEstimator">The complexity estimator, or <see langword="null"/> for the heuristic one.</param>
    /// <returns>The chat client, or <see langword="null"/> when no model is registered.</returns>
    /// <exception cref="RoutingConfigurationException">The options or registrations are not valid; every problem is listed.</exception>
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
        if (list.Count == 1)
        {
            var profile = options.Models.FirstOrDefault(p => string.Equals(p?.Id, list[0].Profile.Id, StringComparison.OrdinalIgnoreCase)) ?? list[0].Profile;
            if (profile.GetProblems() is { Count: > 0 } problems)
            {
                throw new RoutingConfigurationException(problems);
            }

            return new PricedChatClient(list[0].CreateClient(services), profile);
        }

        var models = list.Select(r => new RoutedModel(r.Profile, r.CreateClient(services)));
        return new CostAwareRoutingChatClient(models, options, ledger, timeProvider, complexityEstimator);
    }
}
