namespace VirtualItCompany.Routing;

/// <summary>What the router read from one call: the inputs a <see cref="RoutingPolicy"/> decides on.</summary>
public readonly record struct RoutingSignals
{
    /// <summary>Gets the call's complexity, 1 to 10.</summary>
    public int Complexity { get; init; }

    /// <summary>Gets whether the complexity was estimated rather than given on the call.</summary>
    public bool ComplexityEstimated { get; init; }

    /// <summary>Gets the capability the call's specialization prefers (<see cref="ModelCapabilities.Code"/> for code, <see cref="ModelCapabilities.Reasoning"/> for analysis), or none.</summary>
    public ModelCapabilities PreferredCapability { get; init; }

    /// <summary>Gets whether the call is latency-critical: the fastest qualifying model wins.</summary>
    public bool LatencyCritical { get; init; }

    /// <summary>Gets what a model must be able to do for the call (tools, JSON schema, vision).</summary>
    public ModelCapabilities RequiredCapabilities { get; init; }

    /// <summary>Gets a true upper bound of the prompt's tokens, used to reserve its worst-case cost.</summary>
    public long PromptTokenBound { get; init; }

    /// <summary>
    /// Gets whether the prompt holds something the router cannot size (a hosted tool, a hosted file, a URI to a document,
    /// an unknown content type): its cost is then reserved as if the prompt filled each model's whole context window.
    /// </summary>
    public bool PromptUnbounded { get; init; }

    /// <summary>Gets the expected prompt tokens, used to check that the call fits a model's context window.</summary>
    public long ExpectedPromptTokens { get; init; }

    /// <summary>Gets the output tokens the call asks for at most; each model is capped at its own limit.</summary>
    public int RequestedOutputTokens { get; init; }

    /// <summary>Gets how many times the work item failed before.</summary>
    public int Attempt { get; init; }

    /// <summary>Gets whether the project or global budget is past the tier-down threshold.</summary>
    public bool NearBudgetLimit { get; init; }
}
