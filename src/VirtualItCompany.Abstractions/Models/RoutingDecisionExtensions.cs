using Microsoft.Extensions.AI;

namespace VirtualItCompany;

/// <summary>Typed access to the <see cref="RoutingDecision"/> a routed response carries.</summary>
public static class RoutingDecisionExtensions
{
    /// <summary>Gets the decision of the router that answered.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The decision, or <see langword="null"/> when the call was not routed.</returns>
    public static RoutingDecision? GetRoutingDecision(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.GetValueOrDefault(RoutingDecision.PropertyKey) as RoutingDecision;
    }

    /// <summary>Gets the decision a streamed update carries (the first and the last update of a routed stream carry one).</summary>
    /// <param name="update">The update.</param>
    /// <returns>The decision, or <see langword="null"/>.</returns>
    public static RoutingDecision? GetRoutingDecision(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.AdditionalProperties?.GetValueOrDefault(RoutingDecision.PropertyKey) as RoutingDecision;
    }
}
