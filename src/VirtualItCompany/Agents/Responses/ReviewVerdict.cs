using System.ComponentModel;

namespace VirtualItCompany.Agents;

/// <summary>The code reviewer's verdict (structured output).</summary>
/// <param name="Approved">Whether the code can go to testing.</param>
/// <param name="Comments">What must change, when not approved.</param>
[Description("The verdict of a code review.")]
internal sealed record ReviewVerdict(
    [property: Description("True when the code implements every planned feature correctly and can be tested.")] bool Approved,
    [property: Description("Concrete, actionable changes (file, problem, fix); empty when approved.")] IReadOnlyList<string> Comments);
