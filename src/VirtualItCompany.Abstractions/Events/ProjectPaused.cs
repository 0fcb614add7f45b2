namespace VirtualItCompany;

/// <summary>The project was paused.</summary>
/// <param name="Reason">Why.</param>
public sealed record ProjectPaused(string Reason) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Paused: {Reason}";
}
