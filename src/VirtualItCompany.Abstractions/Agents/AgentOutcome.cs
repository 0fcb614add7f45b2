namespace VirtualItCompany;

/// <summary>What came of a work item: completed, failed, or waiting for the client.</summary>
public sealed class AgentOutcome
{
    private AgentOutcome(AgentOutcomeKind kind, string summary)
    {
        Kind = kind;
        Summary = summary;
    }

    /// <summary>Gets how the work ended.</summary>
    public AgentOutcomeKind Kind { get; }

    /// <summary>Gets what happened, in a sentence (the failure reason, or the question).</summary>
    public string Summary { get; }

    /// <summary>Gets the trigger the work earned, when completed; the stage moves on when all its work is done.</summary>
    public LifecycleTrigger? Trigger { get; private init; }

    /// <summary>Gets the events the agent records (requirements, plan, test runs, deployments...), committed with the work item.</summary>
    public IReadOnlyList<ProjectEvent> Events { get; private init; } = [];

    /// <summary>Gets whether a failed item should be tried again.</summary>
    public bool Retryable { get; private init; }

    /// <summary>Gets what the client is asked for, when <see cref="Kind"/> is <see cref="AgentOutcomeKind.NeedsClientInput"/>.</summary>
    public ClientInputKind InputKind { get; private init; }

    /// <summary>The work is done.</summary>
    /// <param name="summary">What was done, in a sentence.</param>
    /// <param name="trigger">The lifecycle trigger earned, or <see langword="null"/> to stay in the stage.</param>
    /// <param name="events">Events to record with the completion.</param>
    /// <returns>The outcome.</returns>
    public static AgentOutcome Completed(string summary, LifecycleTrigger? trigger = null, IReadOnlyList<ProjectEvent>? events = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(summary);
        return new(AgentOutcomeKind.Completed, summary) { Trigger = trigger, Events = events ?? [] };
    }

    /// <summary>The work failed.</summary>
    /// <param name="reason">Why, in a sentence a user can act on.</param>
    /// <param name="retryable">Whether trying again may succeed.</param>
    /// <param name="events">Events to record anyway (e.g. the failing test run).</param>
    /// <returns>The outcome.</returns>
    public static AgentOutcome Failed(string reason, bool retryable = true, IReadOnlyList<ProjectEvent>? events = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(AgentOutcomeKind.Failed, reason) { Retryable = retryable, Events = events ?? [] };
    }

    /// <summary>The work needs the client: a question to answer or something to review.</summary>
    /// <param name="question">What the client is asked.</param>
    /// <param name="kind">Whether it is a question or a review.</param>
    /// <param name="events">Events to record with the request.</param>
    /// <returns>The outcome.</returns>
    public static AgentOutcome NeedsClientInput(string question, ClientInputKind kind = ClientInputKind.Clarification, IReadOnlyList<ProjectEvent>? events = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        return new(AgentOutcomeKind.NeedsClientInput, question) { InputKind = kind, Events = events ?? [] };
    }
}
