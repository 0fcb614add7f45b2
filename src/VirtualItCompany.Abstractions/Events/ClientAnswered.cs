namespace VirtualItCompany;

/// <summary>The client answered a question.</summary>
/// <param name="Answer">The answer.</param>
public sealed record ClientAnswered(string Answer) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Client answered: {Answer}";
}
