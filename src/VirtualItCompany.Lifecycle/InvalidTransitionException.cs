namespace VirtualItCompany.Lifecycle;

/// <summary>A trigger was fired in a stage that does not permit it.</summary>
public sealed class InvalidTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception for a trigger that the stage does not permit.</summary>
    /// <param name="stage">The stage the project is in.</param>
    /// <param name="trigger">The trigger that was fired.</param>
    /// <param name="permittedTriggers">The triggers the stage does permit.</param>
    public InvalidTransitionException(LifecycleStage stage, LifecycleTrigger trigger, IReadOnlyList<LifecycleTrigger> permittedTriggers)
        : base(FormatMessage(stage, trigger, permittedTriggers ?? []))
    {
        Stage = stage;
        Trigger = trigger;
        PermittedTriggers = permittedTriggers ?? [];
    }

    /// <summary>Gets the stage the project is in.</summary>
    public LifecycleStage Stage { get; }

    /// <summary>Gets the trigger that was fired.</summary>
    public LifecycleTrigger Trigger { get; }

    /// <summary>Gets the triggers the stage permits; empty in a terminal stage.</summary>
    public IReadOnlyList<LifecycleTrigger> PermittedTriggers { get; }

    private static string FormatMessage(LifecycleStage stage, LifecycleTrigger trigger, IReadOnlyList<LifecycleTrigger> permitted) =>
        permitted.Count == 0
            ? $"Trigger '{trigger}' is not allowed in stage '{stage}'. No trigger is allowed here; the lifecycle ends in this stage."
            : $"Trigger '{trigger}' is not allowed in stage '{stage}'. Allowed here: {string.Join(", ", permitted)}.";
}
