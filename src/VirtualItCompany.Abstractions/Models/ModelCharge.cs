namespace VirtualItCompany;

/// <summary>One charge to the budget for one model call (or one attempt of it), as the router settled it.</summary>
/// <param name="Provider">The model's provider.</param>
/// <param name="ModelId">The model.</param>
/// <param name="InputTokens">Input tokens used, when known.</param>
/// <param name="OutputTokens">Output tokens used, when known.</param>
/// <param name="Cost">What was charged, in US dollars: exactly what the budget account was charged.</param>
/// <param name="Duration">How long the call (or attempt) took.</param>
/// <param name="Kind">How the call ended.</param>
/// <param name="Routing">Why the router chose the model, when known.</param>
public sealed record ModelCharge(string Provider, string ModelId, long InputTokens, long OutputTokens, decimal Cost, TimeSpan Duration, ModelChargeKind Kind = ModelChargeKind.Completed, RoutingDecision? Routing = null)
{
    /// <summary>Gets whether the charge is also kept in the <see cref="IModelCallJournal"/>, which then accounts for it if the try that made it is never committed.</summary>
    public bool Journaled { get; init; }

    /// <summary>
    /// Gets the reservation the router left open for the item's commit to settle at <see cref="Cost"/>
    /// (<see cref="ModelCallContext.SettleJournaledCallsInCommit"/>: the call is journaled, so a try that never commits leaves
    /// the record for the next try, which settles it); <see langword="null"/> when the router settled the charge itself.
    /// </summary>
    public string? UnsettledReservationId { get; init; }
}
