namespace VirtualItCompany;

/// <summary>An agent's call to a model finished; its tokens and cost are counted.</summary>
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
public sealed record ModelCallCompleted(string WorkItemId, AgentRole Role, LifecycleStage Stage, string Provider, string ModelId, long InputTokens, long OutputTokens, decimal Cost, TimeSpan Duration, RoutingDecision? Routing = null) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"{Role} called {ModelId}: {InputTokens}+{OutputTokens} tokens, ${Cost:0.####}";
}
