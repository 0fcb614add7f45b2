using VirtualItCompany.Agents;

namespace VirtualItCompany.Providers.Offline.Tests.Agents;

public sealed class TesterAgentTests : IAsyncLifetime
{
    private readonly TestWorkspace _workspace = new();
    private readonly ProjectSnapshot _project = AgentRun.NewProject(new ProjectBrief { Title = "Todo API", Description = "Todos.", AcceptanceCriteria = ["Users can list todos"] }) with
    {
        Features = [new PlannedFeature("List todos", "Users can list todos")],
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();

    [Fact]
    public async Task Writes_the_tests_and_runs_the_command_the_model_chose_with_the_test_timeout()
    {
        _workspace.CannedRun = _ => new CommandResult(0, "PASS a\nPASS b\n2 passed, 0 failed\n", false, TimeSpan.FromSeconds(1));
        var agent = new TesterAgent(AgentRun.Options(o => o.TestTimeout = TimeSpan.FromMinutes(2)));

        var outcome = await AgentRun.ExecuteAsync(agent, _project, LifecycleStage.Testing, _workspace);

        Assert.Equal(LifecycleTrigger.TestsPassed, outcome.Trigger);
        Assert.Contains("Tests/Program.cs", await _workspace.FilesAsync());
        var command = Assert.Single(_workspace.Commands);
        Assert.Equal(["dotnet", "run", "--project", "Tests/Tests.csproj"], command.Arguments);
        Assert.Equal(TimeSpan.FromMinutes(2), command.Timeout);
        var run = Assert.IsType<TestsRun>(Assert.Single(outcome.Events));
        Assert.Equal((0, 2, 0), (run.ExitCode, run.Passed, run.Failed));
    }

    [Fact]
    public async Task Reports_TestsFailed_with_the_counts_when_the_command_fails()
    {
        _workspace.CannedRun = _ => new CommandResult(1, "FAIL c: wrong\n3 passed, 1 failed\n", false, TimeSpan.FromSeconds(1));

        var outcome = await AgentRun.ExecuteAsync(new TesterAgent(AgentRun.Options()), _project, LifecycleStage.Testing, _workspace);

        Assert.Equal(AgentOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(LifecycleTrigger.TestsFailed, outcome.Trigger);
        var run = Assert.IsType<TestsRun>(Assert.Single(outcome.Events));
        Assert.Equal((1, 3, 1), (run.ExitCode, run.Passed, run.Failed));
        Assert.Contains("FAIL c: wrong", run.OutputTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_timed_out_counts_as_failed()
    {
        _workspace.CannedRun = _ => new CommandResult(-1, "PASS a\n", true, TimeSpan.FromMinutes(5));

        var outcome = await AgentRun.ExecuteAsync(new TesterAgent(AgentRun.Options()), _project, LifecycleStage.Testing, _workspace);

        Assert.Equal(LifecycleTrigger.TestsFailed, outcome.Trigger);
        Assert.Contains("did not finish within 00:05:00", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal((0, 0), (((TestsRun)outcome.Events[0]).Passed, ((TestsRun)outcome.Events[0]).Failed));
    }

    [Fact]
    public async Task A_run_killed_before_any_result_is_tried_again_not_sent_back_to_the_developers()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Exit code 137 means SIGKILL on Unix.");
        _workspace.CannedRun = _ => new CommandResult(137, "", false, TimeSpan.FromSeconds(20));

        var outcome = await AgentRun.ExecuteAsync(new TesterAgent(AgentRun.Options()), _project, LifecycleStage.Testing, _workspace);

        Assert.Equal(AgentOutcomeKind.Failed, outcome.Kind);
        Assert.True(outcome.Retryable);
        Assert.Null(outcome.Trigger);
        Assert.Contains("killed (SIGKILL, exit code 137)", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_killed_after_reporting_failures_counts_as_failed()
    {
        _workspace.CannedRun = _ => new CommandResult(137, "FAIL c: wrong\n3 passed, 1 failed\n", false, TimeSpan.FromSeconds(20));

        var outcome = await AgentRun.ExecuteAsync(new TesterAgent(AgentRun.Options()), _project, LifecycleStage.Testing, _workspace);

        Assert.Equal(LifecycleTrigger.TestsFailed, outcome.Trigger);
    }

    [Fact]
    public async Task A_real_failing_command_is_reported_as_TestsFailed()
    {
        // No service was scaffolded, so the tests the model wrote cannot build.
        var outcome = await AgentRun.ExecuteAsync(new TesterAgent(AgentRun.Options()), _project, LifecycleStage.Testing, _workspace);

        Assert.Equal(LifecycleTrigger.TestsFailed, outcome.Trigger);
        var run = Assert.IsType<TestsRun>(Assert.Single(outcome.Events));
        Assert.NotEqual(0, run.ExitCode);
    }

    [Theory]
    [InlineData("no summary", 0, 0)]
    [InlineData("1 passed, 2 failed\nretry\n4 Passed, 0 Failed", 4, 0)]
    public void Counts_come_from_the_last_passed_failed_line(string output, int passed, int failed) =>
        Assert.Equal((passed, failed), TesterAgent.CountResults(output));

    [Theory]
    [InlineData("ab\U0001F600cd", 3, "cd")]
    [InlineData("ab\U0001F600cd", 4, "\U0001F600cd")]
    [InlineData("abc", 5, "abc")]
    [InlineData("abcdef", 2, "ef")]
    public void The_output_tail_never_starts_inside_a_surrogate_pair(string output, int max, string expected)
    {
        string tail = TesterAgent.Tail(output, max);

        Assert.Equal(expected, tail);
        // What is stored is what is held: the tail survives JSON unchanged.
        Assert.Equal(tail, System.Text.Json.JsonSerializer.Deserialize<string>(System.Text.Json.JsonSerializer.Serialize(tail)));
    }
}
