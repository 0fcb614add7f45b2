namespace VirtualItCompany;

/// <summary>What the team waits for from the client.</summary>
public enum ClientInputKind
{
    /// <summary>An answer to a question about the requirements.</summary>
    Clarification,

    /// <summary>Approval of, or changes to, the staging deployment.</summary>
    Review,

    /// <summary>A human decision: a loop ran too often, or work failed past its retries.</summary>
    Escalation,

    /// <summary>More budget: no model that can do the next call fits the budget left.</summary>
    Budget,
}
