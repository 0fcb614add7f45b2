namespace VirtualItCompany.Routing;

/// <summary>The router's catalog, policy, options or registrations are not valid; the message lists every problem at once.</summary>
public sealed class RoutingConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="problems">Every problem, as sentences.</param>
    public RoutingConfigurationException(IReadOnlyList<string> problems)
        : base("The cost-aware router is not configured correctly: " + string.Join(" ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Gets every problem found, as sentences.</summary>
    public IReadOnlyList<string> Problems { get; }
}
