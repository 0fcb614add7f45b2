namespace VirtualItCompany;

/// <summary>A client submitted a brief and the project was created.</summary>
/// <param name="Brief">The brief.</param>
/// <param name="InitialStage">The stage the project starts in: its lifecycle's initial stage.</param>
public sealed record ProjectCreated(ProjectBrief Brief, LifecycleStage InitialStage) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Project created: {Brief.Title}";
}
