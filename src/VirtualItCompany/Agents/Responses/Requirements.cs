using System.ComponentModel;

namespace VirtualItCompany.Agents;

/// <summary>The project manager's reading of the brief (structured output).</summary>
/// <param name="Summary">The requirements in a paragraph.</param>
/// <param name="AcceptanceCriteria">Testable conditions the delivery must meet.</param>
/// <param name="OpenQuestions">Questions for the client; empty when the requirements are clear.</param>
[Description("The requirements of a software project, captured from the client's brief and answers.")]
internal sealed record Requirements(
    [property: Description("The requirements in one paragraph.")] string Summary,
    [property: Description("Testable acceptance criteria, one sentence each.")] IReadOnlyList<string> AcceptanceCriteria,
    [property: Description("Questions the client must answer before planning; empty when the requirements are clear.")] IReadOnlyList<string> OpenQuestions);
