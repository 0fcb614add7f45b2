namespace VirtualItCompany;

/// <summary>The client asked for changes.</summary>
/// <param name="Changes">What to change.</param>
public sealed record ClientRequestedChanges(string Changes) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Client requested changes: {Changes}";
}
