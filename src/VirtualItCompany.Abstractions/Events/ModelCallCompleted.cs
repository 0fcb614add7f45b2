namespace VirtualItCompany;

/// <summary>A model call of an agent was charged to the budget: every charge is one of these, so the project's spend (the sum of <paramref name="Cost"/>) is what the budget account was charged.</summary>
/// <param name="WorkItemId">The work item the call was made for.</param>
/// <param name="Role">The calling role.</param>
/// <param name="Stage">The stage of the call.</param>
/// <param name="Provider">The model provider.</param>
/// <param name="ModelId">The model.</param>
/// <param name="InputTokens">Input tokens used.</param>
/// <param name="OutputTokens">Output tokens used.</param>
/// <param name="Cost">What the call cost, in US dollars.</param>
/// <param name="Duration">How long the call took.</param>
/// <param name="Routing">Why the router chose the model, when the call was routed.</param>
/// <param name="Outcome">How the call ended: answered, failed after it may have been billed, or broken off.</param>
public sealed record ModelCallCompleted(string WorkItemId, AgentRole Role, LifecycleStage Stage, string Provider, string ModelId, long InputTokens, long OutputTokens, decimal Cost, TimeSpan Duration, RoutingDecision? Routing = null, ModelChargeKind Outcome = ModelChargeKind.Completed) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"{Role} called {ModelId}: {InputTokens}+{OutputTokens} tokens, ${Cost:0.####}" + Outcome switch
    {
        ModelChargeKind.Completed => string.Empty,
        ModelChargeKind.Replayed => " (answered from the journal: an earlier try paid for it)",
        _ => $" ({Outcome.ToString().ToLowerInvariant()})",
    };
}
