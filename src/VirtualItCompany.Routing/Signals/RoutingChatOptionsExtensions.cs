using VirtualItCompany;

namespace Microsoft.Extensions.AI;

/// <summary>Sets the routing signals on a call, for callers outside the agent runtime (which tags its calls itself).</summary>
public static class RoutingChatOptionsExtensions
{
    /// <summary>Sets the call's complexity, so the router does not estimate it.</summary>
    /// <param name="options">The call's options.</param>
    /// <param name="complexity">1 (trivial) to 10 (hardest).</param>
    /// <returns>The same options, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="complexity"/> is not 1 to 10.</exception>
    public static ChatOptions WithComplexity(this ChatOptions options, int complexity)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (complexity is < 1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(complexity), complexity, $"Complexity must be 1 (trivial) to 10 (hardest); {complexity} was given.");
        }

        (options.AdditionalProperties ??= [])[AgentChatTags.Complexity] = complexity;
        return options;
    }

    /// <summary>Says what the call is about: <c>code</c> prefers code-capable models, <c>analysis</c> strong reasoners.</summary>
    /// <param name="options">The call's options.</param>
    /// <param name="specialization">The specialization, such as <c>code</c> or <c>analysis</c>.</param>
    /// <returns>The same options, for chaining.</returns>
    public static ChatOptions WithSpecialization(this ChatOptions options, string specialization)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(specialization);
        (options.AdditionalProperties ??= [])[AgentChatTags.Specialization] = specialization;
        return options;
    }

    /// <summary>Marks the call latency-critical: the router takes the fastest model that qualifies.</summary>
    /// <param name="options">The call's options.</param>
    /// <param name="latencyCritical">Whether the call is latency-critical.</param>
    /// <returns>The same options, for chaining.</returns>
    public static ChatOptions WithLatencyCritical(this ChatOptions options, bool latencyCritical = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[AgentChatTags.LatencyCritical] = latencyCritical;
        return options;
    }

    /// <summary>Marks the call as a retry of a work item that failed before: the router routes it one band up.</summary>
    /// <param name="options">The call's options.</param>
    /// <param name="attempt">How many times the work item failed before, zero or more.</param>
    /// <returns>The same options, for chaining.</returns>
    public static ChatOptions WithAttempt(this ChatOptions options, int attempt)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        (options.AdditionalProperties ??= [])[AgentChatTags.Attempt] = attempt;
        return options;
    }
}
