using System.ComponentModel;

namespace VirtualItCompany.Agents;

/// <summary>The project manager's feature plan (structured output).</summary>
/// <param name="Features">The features, each built by one developer work item.</param>
[Description("The features of a software project, each built separately by one developer.")]
internal sealed record ProjectPlan(
    [property: Description("The planned features, 1 to 20.")] IReadOnlyList<FeaturePlan> Features);

/// <summary>One planned feature.</summary>
/// <param name="Name">A short unique name.</param>
/// <param name="Description">What the feature does.</param>
internal sealed record FeaturePlan(
    [property: Description("A short unique name, at most four words.")] string Name,
    [property: Description("What the feature does, in one or two sentences.")] string Description);
