using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Providers.Offline.Tests.Agents;

/// <summary>Agents of a user's own, writing their prompts and schemas in their own style, get the offline model's answers as the built-in agents do.</summary>
public sealed class CustomStageAgentTests : IAsyncLifetime
{
    private static readonly LifecycleStage Analysis = new("Analysis");
    private static readonly LifecycleStage Building = new("Building");
    private static readonly LifecycleTrigger Analysed = new("Analysed");
    private static readonly LifecycleTrigger Built = new("Built");

    private readonly TestWorkspace _workspace = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();

    [Fact]
    public async Task An_analyst_with_its_own_prompt_style_and_snake_case_schema_gets_the_brief_criteria_or_a_question()
    {
        var withCriteria = AgentRun.NewProject(new ProjectBrief { Title = "Recipe box", Description = "Family recipes.", AcceptanceCriteria = ["Users can save a recipe", "Users can print a recipe"] });
        var without = AgentRun.NewProject(new ProjectBrief { Title = "Recipe box", Description = "Family recipes." });

        var captured = await AgentRun.ExecuteAsync(new Analyst(), withCriteria, Analysis, _workspace);
        var asked = await AgentRun.ExecuteAsync(new Analyst(), without, Analysis, _workspace);

        Assert.Equal(Analysed, captured.Trigger);
        Assert.Equal(["Users can save a recipe", "Users can print a recipe"], Assert.IsType<RequirementsCaptured>(Assert.Single(captured.Events)).AcceptanceCriteria);
        Assert.Equal(AgentOutcomeKind.NeedsClientInput, asked.Kind);
        Assert.Contains("\"Recipe box\"", asked.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_builder_asking_in_its_own_words_gets_the_feature_file_written_with_the_workspace_tools()
    {
        var project = AgentRun.NewProject(new ProjectBrief { Title = "Recipe box", Description = "Family recipes." }) with
        {
            Features = [new PlannedFeature("Save recipe", "Users can save a recipe")],
        };

        var outcome = await AgentRun.ExecuteAsync(new Builder(), project, Building, _workspace, subject: "Save recipe");

        Assert.Equal(Built, outcome.Trigger);
        Assert.Contains("Service/Features/SaveRecipeFeature.cs", await _workspace.FilesAsync());
        Assert.Contains("Users can save a recipe", await _workspace.ReadAsync("Service/Features/SaveRecipeFeature.cs"), StringComparison.Ordinal);
    }

    /// <summary>The analyst's structured answer, with snake_case names in JSON.</summary>
    private sealed record BriefAnalysis(string Overview, IReadOnlyList<string> MustHaves, IReadOnlyList<string> QuestionsForClient);

    private sealed class Analyst() : StageAgent(new AgentRole("Analyst"), Analysis)
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };

        protected override async Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken)
        {
            var brief = context.Project.Brief;
            var prompt = new StringBuilder()
                .Append("Please analyse the following project brief.\n\n")
                .Append("Title: ").Append(brief.Title).Append('\n')
                .Append("**Summary:** ").Append(brief.Description).Append("\n\n")
                .Append("### Must-haves:\n");
            foreach (var criterion in brief.AcceptanceCriteria)
            {
                prompt.Append("* ").Append(criterion).Append('\n');
            }

            var response = await context.ChatClient.GetResponseAsync<BriefAnalysis>(
                [new(ChatRole.System, "You are a business analyst."), new(ChatRole.User, prompt.ToString())], Json, cancellationToken: cancellationToken);
            var analysis = response.Result;
            return analysis.QuestionsForClient.Count > 0
                ? AgentOutcome.NeedsClientInput(string.Join("\n", analysis.QuestionsForClient), ClientInputKind.Clarification)
                : AgentOutcome.Completed("Analysed the brief.", Analysed, [new RequirementsCaptured(analysis.Overview, analysis.MustHaves)]);
        }
    }

    private sealed class Builder() : StageAgent(new AgentRole("Builder"), Building)
    {
        protected override async Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken)
        {
            var feature = context.Project.Features.Single(f => f.Name == context.WorkItem.Subject);
            string prompt = $"""
                # {context.Project.Brief.Title}

                ## Your job
                Build the feature below in the repository, then summarise what you wrote.

                **Feature:** {feature.Name}
                **What it does:** {feature.Description}
                """;
            var written = new List<string>();
            var options = new ChatOptions { Tools = context.Workspace.CreateFileTools(written.Add) };
            await context.ChatClient.GetResponseAsync([new(ChatRole.System, "You are a developer."), new(ChatRole.User, prompt)], options, cancellationToken);
            return written.Count > 0 ? AgentOutcome.Completed($"Wrote {string.Join(", ", written)}.", Built) : AgentOutcome.Failed("Nothing was written.", retryable: true);
        }
    }
}
