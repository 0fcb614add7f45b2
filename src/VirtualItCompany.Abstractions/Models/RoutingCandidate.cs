namespace VirtualItCompany;

/// <summary>A model the router considered for a call, and why it was not chosen (when it was not).</summary>
/// <param name="ModelId">The catalog id of the model.</param>
/// <param name="EstimatedCost">The call's worst-case cost on this model, in US dollars.</param>
/// <param name="Rejection">Why the model was not chosen; <see langword="null"/> for the chosen one, or one that qualified but cost more.</param>
public sealed record RoutingCandidate(string ModelId, decimal EstimatedCost, string? Rejection);
