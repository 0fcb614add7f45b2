using System.ComponentModel;

namespace VirtualItCompany.Agents;

/// <summary>The designer's notes (structured output).</summary>
/// <param name="Summary">The design in a sentence or two.</param>
/// <param name="Guidelines">Rules the developers follow.</param>
[Description("Design notes that developers follow while building a project.")]
internal sealed record DesignNotes(
    [property: Description("The design in one or two sentences.")] string Summary,
    [property: Description("Concrete guidelines on structure, naming, API style, errors and tests; 3 to 10.")] IReadOnlyList<string> Guidelines);
