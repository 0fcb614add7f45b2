namespace VirtualItCompany;

/// <summary>The project was delivered.</summary>
public sealed record ProjectCompleted() : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => "Project completed";
}
