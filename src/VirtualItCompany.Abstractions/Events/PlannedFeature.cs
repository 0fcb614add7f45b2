namespace VirtualItCompany;

/// <summary>A feature of the project plan; each becomes one developer work item.</summary>
/// <param name="Name">A short unique name.</param>
/// <param name="Description">What the feature does.</param>
public sealed record PlannedFeature(string Name, string Description);
