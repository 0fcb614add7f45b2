namespace VirtualItCompany;

/// <summary>The project was cancelled.</summary>
/// <param name="Reason">Why.</param>
public sealed record ProjectCancelled(string Reason) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Cancelled: {Reason}";
}
