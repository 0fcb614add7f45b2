namespace VirtualItCompany;

/// <summary>How one model's work for one role and stage has been judged by the company's verdicts (code review, tests, client review, monitoring): accepted or sent back.</summary>
/// <param name="ModelId">The model: the router's catalog id when the calls were routed, else the model id the calls reported.</param>
/// <param name="Role">The role the work was done for.</param>
/// <param name="Stage">The stage the work was done in.</param>
/// <param name="Accepted">Verdicts that accepted the work (review approved, tests passed, client approved).</param>
/// <param name="SentBack">Verdicts that sent the work back to be done again (changes needed, tests failed, changes requested).</param>
public sealed record ModelOutcomeRate(string ModelId, AgentRole Role, LifecycleStage Stage, int Accepted, int SentBack)
{
    /// <summary>Gets how many verdicts judged the work.</summary>
    public int Verdicts => Accepted + SentBack;

    /// <summary>Gets the share of verdicts that accepted the work, 0 to 1; <see langword="null"/> when none judged it yet.</summary>
    public double? AcceptanceRate => Verdicts == 0 ? null : (double)Accepted / Verdicts;

    /// <inheritdoc />
    public override string ToString() => $"{ModelId} as {Role} in {Stage}: {Accepted} accepted, {SentBack} sent back";
}
