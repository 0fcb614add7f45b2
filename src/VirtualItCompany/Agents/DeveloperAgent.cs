using Microsoft.Extensions.Options;

namespace VirtualItCompany.Agents;

/// <summary>A developer: writes the code of one planned feature (the work item's subject) with the workspace's file tools.</summary>
public sealed class DeveloperAgent : BuiltInAgent
{
    /// <summary>Creates the agent.</summary>
    /// <param name="options">The agents' options.</param>
    public DeveloperAgent(IOptions<AgentOptions> options)
        : base(options, AgentRole.Developer, LifecycleStage.FeatureDevelopment)
    {
    }

    /// <inheritdoc />
    protected override async Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var project = context.Project;
        string? subject = context.WorkItem.Subject;
        var feature = project.Features.FirstOrDefault(f => string.Equals(f.Name, subject, StringComparison.OrdinalIgnoreCase));
        if (feature is null)
        {
            return AgentOutcome.Failed(
                subject is null
                    ? "The development work item names no feature; each item must have a planned feature as its subject."
                    : $"\"{subject}\" is not a planned feature; the plan has {string.Join(", ", project.Features.Select(f => f.Name))}.",
                retryable: false);
        }

        var files = await context.Workspace.ListFilesAsync("", cancellationToken).ConfigureAwait(false);
        string prompt = new PromptDocument(DeveloperPrompts.Task)
            .Brief(project.Brief)
            .List("Acceptance criteria", project.AcceptanceCriteria)
            .Section("Feature", PromptDocument.OneLine(feature.Name))
            .Section("Feature description", feature.Description)
            .List("Requested changes", project.RequestedChanges)
            .Section("Design notes", files.Contains(DesignerAgent.DesignNotesPath) ? $"Read {DesignerAgent.DesignNotesPath}." : null)
            .Features(project.Features)
            .List("Existing files", files)
            .ToString();
        var (written, summary) = await ModelCalls.WorkWithFilesAsync(context, DeveloperPrompts.System, prompt, complexity: 6, cancellationToken).ConfigureAwait(false);
        return written.Count == 0
            ? AgentStages.InvalidAnswer($"The feature \"{feature.Name}\" was not written", $"the model wrote no file (it said: \"{ModelCalls.Excerpt(summary)}\")")
            : AgentOutcome.Completed($"Implemented \"{feature.Name}\": {string.Join(", ", written)}.", LifecycleTrigger.FeaturesComplete);
    }
}
