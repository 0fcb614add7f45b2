namespace VirtualItCompany;

/// <summary>The designer wrote the design notes.</summary>
/// <param name="Path">Where the notes are in the workspace.</param>
/// <param name="Summary">The notes in a sentence.</param>
public sealed record DesignNotesWritten(string Path, string Summary) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Design notes: {Summary}";
}
