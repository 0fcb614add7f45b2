using System.Text;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Agents;

/// <summary>The project manager: captures the requirements (asking the client when unclear), plans the features, and asks the client to review staging.</summary>
public sealed class ProjectManagerAgent : BuiltInAgent
{
    /// <summary>The most features a plan may have.</summary>
    public const int MaxFeatures = 20;

    /// <summary>Creates the agent.</summary>
    /// <param name="options">The agents' options.</param>
    public ProjectManagerAgent(IOptions<AgentOptions> options)
        : base(options, AgentRole.ProjectManager, LifecycleStage.RequirementsAnalysis, LifecycleStage.ProjectPlanning, LifecycleStage.ClientReview)
    {
    }

    /// <inheritdoc />
    protected override Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var stage = context.WorkItem.Stage;
        return stage == LifecycleStage.RequirementsAnalysis ? CaptureRequirementsAsync(context, cancellationToken)
            : stage == LifecycleStage.ProjectPlanning ? PlanAsync(context, cancellationToken)
            : AskForReviewAsync(context, cancellationToken);
    }

    private async Task<AgentOutcome> CaptureRequirementsAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var project = context.Project;
        string prompt = new PromptDocument(ProjectManagerPrompts.RequirementsTask)
            .Brief(project.Brief)
            .List("Acceptance criteria", project.Brief.AcceptanceCriteria)
            .List("Client answers", project.ClientAnswers)
            .ToString();
        var answer = await ModelCalls.AskAsync<Requirements>(context, Options.SystemPrompt(AgentPromptKeys.ProjectManagerRequirements, ProjectManagerPrompts.RequirementsSystem), prompt, complexity: 4, Options.StructuredAnswerRepairs, cancellationToken).ConfigureAwait(false);
        if (answer.Value is not { } requirements)
        {
            return AgentStages.InvalidAnswer("The requirements could not be read", answer.Problem!);
        }

        var criteria = Clean(requirements.AcceptanceCriteria);
        var questions = Clean(requirements.OpenQuestions);
        if (questions.Count > 0)
        {
            return AgentOutcome.NeedsClientInput(string.Join("\n", questions), ClientInputKind.Clarification);
        }

        string? problem = string.IsNullOrWhiteSpace(requirements.Summary) ? "the summary is empty"
            : criteria.Count == 0 ? "there are no acceptance criteria and no question for the client"
            : criteria.Count > ProjectBrief.MaxAcceptanceCriteria ? $"there are {criteria.Count} acceptance criteria; at most {ProjectBrief.MaxAcceptanceCriteria} are accepted"
            : criteria.Find(c => c.Length > ProjectBrief.MaxCriterionLength) is { } longOne ? $"a criterion is {longOne.Length} characters long; at most {ProjectBrief.MaxCriterionLength} are accepted"
            : null;
        if (problem is not null)
        {
            return AgentStages.InvalidAnswer("The requirements are not usable", problem);
        }

        string summary = requirements.Summary.Trim();
        var document = new StringBuilder()
            .Append("# Requirements: ").Append(PromptDocument.OneLine(project.Brief.Title)).Append("\n\n")
            .Append(summary).Append("\n\n## Acceptance criteria\n\n");
        foreach (var criterion in criteria)
        {
            document.Append("- ").Append(PromptDocument.OneLine(criterion)).Append('\n');
        }

        await context.Workspace.WriteFileAsync("docs/requirements.md", document.ToString(), cancellationToken).ConfigureAwait(false);
        return AgentOutcome.Completed(
            $"Captured the requirements: {criteria.Count} acceptance criteria.",
            LifecycleTrigger.RequirementsClear,
            [new RequirementsCaptured(summary, criteria)]);
    }

    private async Task<AgentOutcome> PlanAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var project = context.Project;
        string prompt = new PromptDocument(ProjectManagerPrompts.PlanningTask)
            .Brief(project.Brief)
            .Section("Requirements", project.Requirements)
            .List("Acceptance criteria", project.AcceptanceCriteria)
            .ToString();
        var answer = await ModelCalls.AskAsync<ProjectPlan>(context, Options.SystemPrompt(AgentPromptKeys.ProjectManagerPlanning, ProjectManagerPrompts.PlanningSystem), prompt, complexity: 5, Options.StructuredAnswerRepairs, cancellationToken).ConfigureAwait(false);
        if (answer.Value is not { } plan)
        {
            return AgentStages.InvalidAnswer("The plan could not be read", answer.Problem!);
        }

        var features = (plan.Features ?? []).Where(f => f is not null)
            .Select(f => new PlannedFeature(PromptDocument.OneLine(f.Name ?? ""), (f.Description ?? "").Trim()))
            .ToList();
        var duplicates = features.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        string? problem = features.Count is 0 or > MaxFeatures ? $"it has {features.Count} features; 1 to {MaxFeatures} are needed"
            : features.Any(f => f.Name.Length == 0) ? "a feature has no name"
            : features.Any(f => f.Description.Length == 0) ? "a feature has no description"
            : duplicates.Count > 0 ? $"feature names are used twice: {string.Join(", ", duplicates)}"
            : null;
        if (problem is not null)
        {
            return AgentStages.InvalidAnswer("The plan is not usable", problem);
        }

        var document = new StringBuilder().Append("# Plan: ").Append(PromptDocument.OneLine(project.Brief.Title)).Append("\n\n");
        foreach (var feature in features)
        {
            document.Append("## ").Append(feature.Name).Append("\n\n").Append(feature.Description).Append("\n\n");
        }

        await context.Workspace.WriteFileAsync("docs/plan.md", document.ToString(), cancellationToken).ConfigureAwait(false);
        return AgentOutcome.Completed(
            $"Planned {features.Count} feature(s): {string.Join(", ", features.Select(f => f.Name))}.",
            LifecycleTrigger.PlanReady,
            [new PlanCreated(features)]);
    }

    private async Task<AgentOutcome> AskForReviewAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var project = context.Project;
        if (!project.Deployments.TryGetValue("staging", out var staging))
        {
            return AgentOutcome.Failed("There is no staging deployment for the client to review; deploy to staging first.", retryable: false);
        }

        string prompt = new PromptDocument(ProjectManagerPrompts.ClientNoteTask)
            .Brief(project.Brief)
            .List("Acceptance criteria", project.AcceptanceCriteria)
            .Features(project.Features)
            .Section("Deployment", staging.ToString())
            .ToString();
        string note = await ModelCalls.AskTextAsync(context, Options.SystemPrompt(AgentPromptKeys.ProjectManagerClientNote, ProjectManagerPrompts.ClientNoteSystem), prompt, complexity: 3, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(note)
            ? AgentStages.InvalidAnswer("The note to the client could not be written", "the model's answer was empty")
            : AgentOutcome.NeedsClientInput(note, ClientInputKind.Review);
    }

    private static List<string> Clean(IReadOnlyList<string>? items) =>
        (items ?? []).Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).ToList();
}
