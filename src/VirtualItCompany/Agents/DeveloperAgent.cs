using Microsoft.Extensions.Options;
using VirtualItCompany.Agents.Tools;

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
        CommandRun? lastRun = null;
        var moreTools = Options.DeveloperCommandRuns == 0
            ? null
            : new[] { CommandTool.Create(context.Workspace, Options.DeveloperCommandRuns, Options.BuildTimeout, (arguments, result) => lastRun = new CommandRun(arguments, result)) };
        string system = Options.SystemPrompt(AgentPromptKeys.Developer, DeveloperPrompts.System)
            + (moreTools is null ? "" : "\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, DeveloperPrompts.CheckWithCommands, Options.DeveloperCommandRuns));
        var (written, result) = await ModelCalls.WorkWithFilesAsync(context, Options, system, prompt, complexity: 6, requireFiles: true, moreTools, cancellationToken).ConfigureAwait(false);
        if (result.Failure is { } failure)
        {
            return AgentStages.InvalidAnswer($"The feature \"{feature.Name}\" was not written", failure);
        }

        string check = lastRun is { } run
            ? $" Last check: {string.Join(' ', run.Arguments)} {(run.Result.Succeeded ? "passed" : run.Result.TimedOut ? "timed out" : $"failed with exit code {run.Result.ExitCode}")}."
            : "";
        return AgentOutcome.Completed($"Implemented \"{feature.Name}\": {string.Join(", ", written)}.{check}", LifecycleTrigger.FeaturesComplete);
    }
}

/// <summary>A command the developer ran to check its work.</summary>
internal sealed record CommandRun(IReadOnlyList<string> Arguments, CommandResult Result);
