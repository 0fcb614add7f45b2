namespace VirtualItCompany;

/// <summary>How a work item ended.</summary>
public enum AgentOutcomeKind
{
    /// <summary>The work is done.</summary>
    Completed,

    /// <summary>The work failed; see <see cref="AgentOutcome.Retryable"/>.</summary>
    Failed,

    /// <summary>The work cannot go on without the client.</summary>
    NeedsClientInput,
}
