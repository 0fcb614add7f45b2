using System.Text;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Agents;

/// <summary>The designer: writes the design notes the developers follow (docs/design.md).</summary>
public sealed class DesignerAgent : BuiltInAgent
{
    /// <summary>Where the design notes are written in the workspace.</summary>
    public const string DesignNotesPath = "docs/design.md";

    /// <summary>Creates the agent.</summary>
    /// <param name="options">The agents' options.</param>
    public DesignerAgent(IOptions<AgentOptions> options)
        : base(options, AgentRole.Designer, LifecycleStage.SetupDevelopment)
    {
    }

    /// <inheritdoc />
    protected override async Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var project = context.Project;
        string prompt = new PromptDocument(DesignerPrompts.Task)
            .Brief(project.Brief)
            .Section("Requirements", project.Requirements)
            .List("Acceptance criteria", project.AcceptanceCriteria)
            .Features(project.Features)
            .ToString();
        var answer = await ModelCalls.AskAsync<DesignNotes>(context, Options.SystemPrompt(AgentPromptKeys.Designer, DesignerPrompts.System), prompt, complexity: 5, Options.StructuredAnswerRepairs, cancellationToken).ConfigureAwait(false);
        if (answer.Value is not { } notes)
        {
            return AgentStages.InvalidAnswer("The design notes could not be read", answer.Problem!);
        }

        var guidelines = (notes.Guidelines ?? []).Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()).ToList();
        if (string.IsNullOrWhiteSpace(notes.Summary) || guidelines.Count == 0)
        {
            return AgentStages.InvalidAnswer("The design notes are not usable", "they need a summary and at least one guideline");
        }

        string summary = notes.Summary.Trim();
        var document = new StringBuilder()
            .Append("# Design notes: ").Append(PromptDocument.OneLine(project.Brief.Title)).Append("\n\n")
            .Append(summary).Append("\n\n## Guidelines\n\n");
        foreach (var guideline in guidelines)
        {
            document.Append("- ").Append(PromptDocument.OneLine(guideline)).Append('\n');
        }

        await context.Workspace.WriteFileAsync(DesignNotesPath, document.ToString(), cancellationToken).ConfigureAwait(false);
        return AgentOutcome.Completed(
            $"Wrote the design notes ({guidelines.Count} guidelines).",
            LifecycleTrigger.SetupComplete,
            [new DesignNotesWritten(DesignNotesPath, summary)]);
    }
}
