using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>A complexity estimate with the reasons for it.</summary>
/// <param name="Complexity">The estimate, 1 (trivial) to 10 (hardest).</param>
/// <param name="Explanation">Why, in a line (the features that moved the estimate most), or <see langword="null"/> when the estimator gives none.</param>
public readonly record struct ComplexityEstimate(int Complexity, string? Explanation);

/// <summary>An <see cref="IComplexityEstimator"/> that can say why it gave its estimate; the router records the reason in <see cref="RoutingDecision.ComplexityExplanation"/>.</summary>
public interface IExplainingComplexityEstimator : IComplexityEstimator
{
    /// <summary>Estimates how hard the call is and says why.</summary>
    /// <param name="messages">The call's messages.</param>
    /// <param name="options">The call's options.</param>
    /// <returns>The estimate (1 to 10) and its explanation.</returns>
    ComplexityEstimate EstimateWithExplanation(IReadOnlyList<ChatMessage> messages, ChatOptions? options);
}
