namespace VirtualItCompany;

/// <summary>The team asked the client a question or for a review; the project waits.</summary>
/// <param name="Kind">Whether it is a question or a review.</param>
/// <param name="Question">What the client is asked.</param>
/// <param name="Trigger">For an escalation, the transition the team held back and takes once the client answers; otherwise <see langword="null"/>.</param>
/// <param name="BudgetShortfall">For a budget request, the least the client must add for the work to go on, in US dollars; otherwise <see langword="null"/>.</param>
public sealed record ClientInputRequested(ClientInputKind Kind, string Question, LifecycleTrigger? Trigger = null, decimal? BudgetShortfall = null) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Asked the client ({Kind}): {Question}";
}
