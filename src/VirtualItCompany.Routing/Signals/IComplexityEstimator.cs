using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>Estimates a call's complexity when the caller did not give one; replace it to use a smarter estimate (a classifier, a small model).</summary>
public interface IComplexityEstimator
{
    /// <summary>Estimates how hard the call is.</summary>
    /// <param name="messages">The call's messages.</param>
    /// <param name="options">The call's options.</param>
    /// <returns>1 (trivial) to 10 (hardest).</returns>
    int Estimate(IReadOnlyList<ChatMessage> messages, ChatOptions? options);
}
