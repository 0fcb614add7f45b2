namespace VirtualItCompany;

/// <summary>The code reviewer approved the code or asked for changes.</summary>
/// <param name="Approved">Whether the code was approved.</param>
/// <param name="Comments">What to change, when not approved.</param>
public sealed record CodeReviewed(bool Approved, IReadOnlyList<string> Comments) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => Approved ? "Code review approved" : $"Code review asked for {Comments.Count} change(s)";
}
