namespace VirtualItCompany;

/// <summary>The project was resumed.</summary>
public sealed record ProjectResumed() : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => "Resumed";
}
