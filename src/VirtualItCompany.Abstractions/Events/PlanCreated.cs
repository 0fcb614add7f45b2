namespace VirtualItCompany;

/// <summary>The project manager planned the features.</summary>
/// <param name="Features">The planned features, one developer work item each.</param>
public sealed record PlanCreated(IReadOnlyList<PlannedFeature> Features) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Plan: {Features.Count} features";
}
