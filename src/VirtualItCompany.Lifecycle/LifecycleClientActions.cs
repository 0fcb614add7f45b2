namespace VirtualItCompany.Lifecycle;

/// <summary>Which trigger each of the client's actions fires in a lifecycle.</summary>
/// <remarks>A trigger fires only where the project's stage permits it; elsewhere an answer runs the asking work again, and an approval or change request waits for a human decision.</remarks>
public sealed record LifecycleClientActions
{
    /// <summary>Gets the client actions of the default lifecycle: <see cref="LifecycleTrigger.NeedsClarification"/>, <see cref="LifecycleTrigger.ClientApproved"/> and <see cref="LifecycleTrigger.ClientRequestedChanges"/>.</summary>
    public static LifecycleClientActions Default { get; } = new()
    {
        ClarificationAnswered = LifecycleTrigger.NeedsClarification,
        Approved = LifecycleTrigger.ClientApproved,
        ChangesRequested = LifecycleTrigger.ClientRequestedChanges,
    };

    /// <summary>Gets the trigger an answer to the team's question fires (re-entering the stage with the answer), or <see langword="null"/> to run the asking work again instead.</summary>
    public LifecycleTrigger? ClarificationAnswered { get; init; }

    /// <summary>Gets the trigger the client's approval of a review fires, or <see langword="null"/> when the lifecycle has no client review.</summary>
    public LifecycleTrigger? Approved { get; init; }

    /// <summary>Gets the trigger the client's change request on a review fires, or <see langword="null"/> when the lifecycle has no client review.</summary>
    public LifecycleTrigger? ChangesRequested { get; init; }
}
