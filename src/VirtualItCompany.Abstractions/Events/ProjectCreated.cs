namespace VirtualItCompany;

/// <summary>A client submitted a brief and the project was created.</summary>
/// <param name="Brief">The brief.</param>
public sealed record ProjectCreated(ProjectBrief Brief) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Project created: {Brief.Title}";
}
