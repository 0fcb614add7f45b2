namespace VirtualItCompany;

/// <summary>The client approved what they were asked to review.</summary>
/// <param name="Comment">An optional comment.</param>
public sealed record ClientApproved(string? Comment) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => "Client approved";
}
