namespace VirtualItCompany;

/// <summary>Why the router sent a call to a model: the signals it read, every candidate it considered, and the estimated and actual cost.</summary>
/// <param name="ChosenModelId">The catalog id of the model that answered.</param>
/// <param name="Complexity">The call's complexity, 1 to 10.</param>
/// <param name="ComplexityEstimated">Whether the complexity was estimated (not given on the call).</param>
/// <param name="Reason">Why this model, in a sentence.</param>
/// <param name="EstimatedCost">The worst-case cost reserved before the call, in US dollars.</param>
/// <param name="Candidates">Every model considered, in the order they were ranked.</param>
public sealed record RoutingDecision(string ChosenModelId, int Complexity, bool ComplexityEstimated, string Reason, decimal EstimatedCost, IReadOnlyList<RoutingCandidate> Candidates)
{
    /// <summary>The key under which a routed response carries its decision in <c>AdditionalProperties</c>.</summary>
    public const string PropertyKey = "vic.routing_decision";

    /// <summary>Gets what the call was charged to the budget after it, in US dollars (the real usage priced; the reservation when usage was missing or incomplete); <see langword="null"/> before the call ends.</summary>
    public decimal? ActualCost { get; init; }

    /// <summary>Gets why the complexity was estimated as it was (the features that moved the estimate most), when it was estimated by an estimator that explains itself; otherwise <see langword="null"/>.</summary>
    public string? ComplexityExplanation { get; init; }

    /// <summary>Gets the models tried and failed before the chosen one answered (fallbacks), oldest first.</summary>
    public IReadOnlyList<string> FailedOver { get; init; } = [];

    /// <summary>Gets how the company's verdicts judged the chosen model's work for the call's role and stage so far; <see langword="null"/> when the router has no outcome statistics or the call is made for no work item.</summary>
    public ModelOutcomeRate? ChosenModelOutcomes { get; init; }

    /// <summary>Gets how many bands the outcome-feedback policy moved the call up (0 when it did not); <see cref="Reason"/> says why.</summary>
    public int OutcomeBandsUp { get; init; }
}
