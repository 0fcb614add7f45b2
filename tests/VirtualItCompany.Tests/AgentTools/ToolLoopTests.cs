using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VirtualItCompany.Agents;
using VirtualItCompany.Providers.Offline;
using VirtualItCompany.Testing;
using VirtualItCompany.Tests.Workspace;

namespace VirtualItCompany.Tests.AgentTools;

/// <summary>The agents' tool loops are bounded: whatever a model does with its tools, the work item ends with an outcome and a reason, never a crash, a loop or a half-written file.</summary>
public sealed class ToolLoopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ProjectSnapshot Project = CreateProject();

    private static ProjectSnapshot CreateProject()
    {
        var project = ProjectSnapshot.Create(new ProjectCreated(
            new ProjectBrief { Title = "Recipe box", Description = "A service that keeps recipes.", AcceptanceCriteria = ["lists recipes"], Budget = 1m },
            LifecycleStage.RequirementsAnalysis) { ProjectId = ProjectId.New() });
        return project.Apply(new PlanCreated([new PlannedFeature("Recipe list", "Lists the recipes.")]) { ProjectId = project.Id, Version = 2 });
    }

    private static async Task<AgentOutcome> DevelopAsync(IChatClient model, IProjectWorkspace workspace, Action<AgentOptions>? configure = null)
    {
        var options = new AgentOptions();
        configure?.Invoke(options);
        var agent = new DeveloperAgent(Options.Create(options));
        return await agent.ExecuteAsync(
            new AgentContext
            {
                WorkItem = WorkItem.Create(Project.Id, agent.Role, LifecycleStage.FeatureDevelopment, 1, DateTimeOffset.UnixEpoch) with { Subject = "Recipe list" },
                Project = Project,
                ChatClient = model,
                Workspace = workspace,
                TimeProvider = TimeProvider.System,
                Logger = NullLogger.Instance,
                Services = new ServiceCollection().BuildServiceProvider(),
            },
            Ct);
    }

    [Fact]
    public async Task A_model_that_repeats_the_same_tool_call_forever_stops_at_the_cap_with_a_clear_outcome()
    {
        var model = new DifficultChatClient(OfflineModel.CreateChatClient(), ModelMisbehavior.SameCallForever);
        var workspace = new InMemoryWorkspace(Project.Id);

        var outcome = await DevelopAsync(model, workspace, o => o.MaxRepeatedToolCalls = 4);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("called list_files 4 times with the same arguments", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal(4, model.Calls);
        Assert.Empty(workspace.Files);
    }

    [Fact]
    public async Task A_model_that_keeps_calling_different_tools_stops_at_the_round_cap()
    {
        var model = new ToolScriptChatClient(n => ToolScriptChatClient.Call("list_files", new() { ["path"] = $"folder{n}" }));

        var outcome = await DevelopAsync(model, new InMemoryWorkspace(Project.Id), o => o.MaxToolRounds = 5);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("still calling tools (list_files) after 5 rounds", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal(6, model.Calls.Count);
    }

    [Fact]
    public async Task A_model_that_calls_a_tool_that_does_not_exist_is_told_the_tools_then_fails_naming_it()
    {
        var model = new DifficultChatClient(OfflineModel.CreateChatClient(), ModelMisbehavior.HallucinatedTool);
        var workspace = new InMemoryWorkspace(Project.Id);

        var outcome = await DevelopAsync(model, workspace, o => o.ToolCallRepairs = 2);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.True(outcome.Retryable);
        Assert.Contains($"no tool named \"{DifficultChatClient.HallucinatedToolName}\"; the tools are", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains("write_file", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal(3, model.Calls);
        Assert.Empty(workspace.Files);
    }

    [Fact]
    public async Task Arguments_of_the_wrong_types_are_shown_back_then_fail_with_the_reason_and_write_nothing()
    {
        var inner = new ToolScriptChatClient(_ => ToolScriptChatClient.Text("unused"));
        var model = new DifficultChatClient(inner, ModelMisbehavior.WrongArgumentTypes);
        var workspace = new InMemoryWorkspace(Project.Id);

        var outcome = await DevelopAsync(model, workspace, o => o.ToolCallRepairs = 1);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("write_file failed", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal(2, model.Calls);
        Assert.Empty(workspace.Files);
    }

    [Fact]
    public async Task Tool_calls_cut_off_midway_run_nothing_and_fail_with_the_reason()
    {
        var model = new DifficultChatClient(OfflineModel.CreateChatClient(), ModelMisbehavior.TruncatedOutput);
        var workspace = new InMemoryWorkspace(Project.Id);

        var outcome = await DevelopAsync(model, workspace);

        Assert.True(outcome.Kind == AgentOutcomeKind.Failed, outcome.Summary);
        Assert.True(outcome.Summary.Contains("could not be read", StringComparison.Ordinal), outcome.Summary);
        Assert.Contains("nothing was done", outcome.Summary, StringComparison.Ordinal);
        Assert.Empty(workspace.Files);
    }

    [Fact]
    public async Task An_empty_answer_is_asked_again_a_bounded_number_of_times_then_fails()
    {
        var model = new DifficultChatClient(OfflineModel.CreateChatClient(), ModelMisbehavior.EmptyAnswer);
        var workspace = new InMemoryWorkspace(Project.Id);

        var outcome = await DevelopAsync(model, workspace, o => o.StructuredAnswerRepairs = 2);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("wrote no file", outcome.Summary, StringComparison.Ordinal);
        Assert.Contains("after 3 tries (its answer was empty)", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal(3, model.Calls);
    }

    [Theory]
    [InlineData(ModelMisbehavior.SameCallForever)]
    [InlineData(ModelMisbehavior.HallucinatedTool)]
    [InlineData(ModelMisbehavior.WrongArgumentTypes)]
    [InlineData(ModelMisbehavior.TruncatedOutput)]
    [InlineData(ModelMisbehavior.EmptyAnswer)]
    public async Task A_model_that_misbehaves_once_is_repaired_and_the_feature_is_written(ModelMisbehavior misbehavior)
    {
        var model = new DifficultChatClient(OfflineModel.CreateChatClient(), misbehavior, times: 1);
        var workspace = new InMemoryWorkspace(Project.Id);

        var outcome = await DevelopAsync(model, workspace);

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(1, model.SpoiledAnswers);
        Assert.NotEmpty(workspace.Files);
    }

    [Fact]
    public async Task A_model_repeating_a_call_whose_result_changes_is_not_stopped()
    {
        // A check run again after a fix is not a loop: its result differs.
        int writes = 0;
        var model = new ToolScriptChatClient(n => n switch
        {
            < 6 when n % 2 == 0 => ToolScriptChatClient.Call("write_file", new() { ["path"] = "src/Recipes.cs", ["content"] = $"// version {++writes}" }),
            < 6 => ToolScriptChatClient.Call("read_file", new() { ["path"] = "src/Recipes.cs" }),
            _ => ToolScriptChatClient.Text("Wrote src/Recipes.cs."),
        });
        var workspace = new InMemoryWorkspace(Project.Id);

        var outcome = await DevelopAsync(model, workspace, o => o.MaxRepeatedToolCalls = 2);

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        Assert.Equal("// version 3", workspace.Files["src/Recipes.cs"]);
    }

    [Fact]
    public async Task The_developer_checks_its_work_with_a_real_sandboxed_command_and_a_dangerous_one_is_refused()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        string canary = Path.Combine(scratch.Options.RootDirectory, "canary.txt");
        await File.WriteAllTextAsync(canary, "still here", Ct);
        var model = new ToolScriptChatClient(n => n switch
        {
            0 => ToolScriptChatClient.Call("write_file", new() { ["path"] = "src/Recipes.cs", ["content"] = "class Recipes { }" }),
            1 => ToolScriptChatClient.Call("run_command", new() { ["arguments"] = DifficultChatClient.DangerousRemoval.ToArray() }),
            2 => ToolScriptChatClient.Call("run_command", new() { ["arguments"] = new[] { "dotnet", "--version" } }),
            _ => ToolScriptChatClient.Text("Wrote src/Recipes.cs; dotnet answers."),
        });

        var outcome = await DevelopAsync(model, workspace);

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        Assert.Contains("Last check: dotnet --version passed", outcome.Summary, StringComparison.Ordinal);
        var calls = model.Calls.ToList();
        // The refusal was shown to the model, as a failed call it could repair.
        var refusal = calls[2].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Last();
        Assert.Contains("run_command failed", refusal.Result?.ToString(), StringComparison.Ordinal);
        Assert.Contains("rm", refusal.Result?.ToString(), StringComparison.Ordinal);
        Assert.Equal("still here", await File.ReadAllTextAsync(canary, Ct));
        Assert.Equal("class Recipes { }", await workspace.ReadFileAsync("src/Recipes.cs", Ct));
    }

    [Fact]
    public async Task The_developer_runs_commands_at_most_the_configured_number_of_times()
    {
        var model = new ToolScriptChatClient(n => n switch
        {
            0 => ToolScriptChatClient.Call("write_file", new() { ["path"] = "src/Recipes.cs", ["content"] = "class Recipes { }" }),
            < 4 => ToolScriptChatClient.Call("run_command", new() { ["arguments"] = new[] { "dotnet", "build", $"-p:Try={n}" } }),
            _ => ToolScriptChatClient.Text("Done."),
        });
        var workspace = new InMemoryWorkspace(Project.Id);

        var outcome = await DevelopAsync(model, workspace, o => o.DeveloperCommandRuns = 2);

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        var results = model.Calls.Last().SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        Assert.Equal(2, results.Count(r => r.Result?.ToString()?.Contains("nothing was run", StringComparison.Ordinal) == true));
        var last = results.Last();
        Assert.Contains("all 2 command runs of this task are used", last.Result?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_command_runs_the_developer_is_offered_no_command_tool()
    {
        var model = new ToolScriptChatClient(_ => ToolScriptChatClient.Call("run_command", new() { ["arguments"] = new[] { "dotnet", "build" } }));

        var outcome = await DevelopAsync(model, new InMemoryWorkspace(Project.Id), o => { o.DeveloperCommandRuns = 0; o.ToolCallRepairs = 0; });

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("no tool named \"run_command\"", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_team_prompt_replaces_the_role_s_built_in_prompt()
    {
        var model = new ToolScriptChatClient(_ => ToolScriptChatClient.Call("write_file", new() { ["path"] = "a.cs", ["content"] = "x" }));
        var script = new ToolScriptChatClient(n => n == 0 ? ToolScriptChatClient.Call("write_file", new() { ["path"] = "a.cs", ["content"] = "x" }) : ToolScriptChatClient.Text("done"));

        var outcome = await DevelopAsync(script, new InMemoryWorkspace(Project.Id), o => o.SystemPrompts[AgentPromptKeys.Developer] = "You write Rust only.");

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        string system = script.Calls.First()[0].Text;
        Assert.StartsWith("You write Rust only.", system, StringComparison.Ordinal);
        Assert.DoesNotContain("senior software developer", system, StringComparison.Ordinal);
        model.Dispose();
    }

    [Theory]
    [InlineData(nameof(AgentOptions.MaxToolRounds), 0)]
    [InlineData(nameof(AgentOptions.MaxToolRounds), 201)]
    [InlineData(nameof(AgentOptions.MaxRepeatedToolCalls), 1)]
    [InlineData(nameof(AgentOptions.ToolCallRepairs), -1)]
    [InlineData(nameof(AgentOptions.ToolCallRepairs), 11)]
    [InlineData(nameof(AgentOptions.DeveloperCommandRuns), 11)]
    public void Tool_loop_bounds_out_of_range_are_refused_at_start(string property, int value)
    {
        var options = new AgentOptions();
        typeof(AgentOptions).GetProperty(property)!.SetValue(options, value);

        var problems = options.GetProblems();

        Assert.Contains(problems, p => p.StartsWith(property, StringComparison.Ordinal));
    }

    [Fact]
    public void A_prompt_key_no_agent_uses_or_an_empty_prompt_is_refused_with_the_keys()
    {
        var options = new AgentOptions();
        options.SystemPrompts["Developr"] = "typo";
        options.SystemPrompts[AgentPromptKeys.Designer] = " ";

        var problems = options.GetProblems();

        Assert.Contains(problems, p => p.Contains("\"Developr\"", StringComparison.Ordinal) && p.Contains("Tester.WriteTests", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("SystemPrompts[\"Designer\"] is empty", StringComparison.Ordinal));
    }
}
