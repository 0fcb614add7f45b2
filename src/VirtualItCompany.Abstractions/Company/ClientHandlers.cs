namespace VirtualItCompany;

/// <summary>How <see cref="DeliveryCompanyExtensions.DeliverAsync"/> plays the client: what to answer, how to decide reviews, how much budget to add, and what to show.</summary>
/// <remarks>Every handler is optional; the defaults let the team go on without a human (answer "use your best judgement", approve reviews) and stop when budget runs out.</remarks>
public sealed class ClientHandlers
{
    /// <summary>The answer the default <see cref="Answer"/> gives.</summary>
    public const string DefaultAnswer = "No further details: use your best judgement and go ahead.";

    /// <summary>Gets or sets the answer to a question or an escalation of the team.</summary>
    /// <value>The default value answers <see cref="DefaultAnswer"/>.</value>
    public Func<ClientInputRequested, CancellationToken, ValueTask<string>>? Answer { get; set; }

    /// <summary>Gets or sets the decision on a review (staging, a release).</summary>
    /// <value>The default value approves.</value>
    public Func<ClientInputRequested, CancellationToken, ValueTask<ReviewDecision>>? Review { get; set; }

    /// <summary>Gets or sets how much budget to add when the project runs out (given the request, whose <see cref="ClientInputRequested.BudgetShortfall"/> says the least); 0 or less stops and returns the waiting project.</summary>
    /// <value>The default value adds nothing.</value>
    public Func<ClientInputRequested, CancellationToken, ValueTask<decimal>>? AddBudget { get; set; }

    /// <summary>Gets or sets what is done with each event, such as printing its <see cref="ProjectEvent.Description"/>.</summary>
    public Action<ProjectEvent>? OnEvent { get; set; }
}
