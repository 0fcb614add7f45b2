namespace VirtualItCompany;

/// <summary>The project manager wrote down the requirements.</summary>
/// <param name="Summary">The requirements in a paragraph.</param>
/// <param name="AcceptanceCriteria">The criteria the delivery must meet.</param>
public sealed record RequirementsCaptured(string Summary, IReadOnlyList<string> AcceptanceCriteria) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Requirements: {AcceptanceCriteria.Count} acceptance criteria";
}
