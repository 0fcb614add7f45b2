namespace VirtualItCompany;

/// <summary>Where the outcome-feedback policy holds one role's calls in one stage: moved up a band (the cheaper models' work kept being sent back) or not.</summary>
/// <param name="Role">The role.</param>
/// <param name="Stage">The stage.</param>
/// <param name="Bands">How many bands the calls move up: 0 (not moved) or 1.</param>
/// <param name="Reason">Why, in a sentence (the verdicts that moved it, or what would move it back).</param>
public sealed record OutcomeBandShift(AgentRole Role, LifecycleStage Stage, int Bands, string Reason);
