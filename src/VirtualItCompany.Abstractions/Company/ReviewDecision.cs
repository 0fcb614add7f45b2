namespace VirtualItCompany;

/// <summary>What the client decides on a review: approve, or ask for changes.</summary>
public sealed record ReviewDecision
{
    private ReviewDecision(bool approved, string? text)
    {
        Approved = approved;
        Text = text;
    }

    /// <summary>Gets whether the client approves.</summary>
    public bool Approved { get; }

    /// <summary>Gets the approval's comment, or the changes asked for.</summary>
    public string? Text { get; }

    /// <summary>Approves the review.</summary>
    /// <param name="comment">An optional comment.</param>
    /// <returns>The decision.</returns>
    public static ReviewDecision Approve(string? comment = null) => new(true, comment);

    /// <summary>Asks for changes.</summary>
    /// <param name="changes">What to change; not empty.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="ArgumentException"><paramref name="changes"/> is empty.</exception>
    public static ReviewDecision RequestChanges(string changes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(changes);
        return new(false, changes);
    }
}
