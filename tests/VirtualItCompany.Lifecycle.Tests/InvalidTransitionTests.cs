namespace VirtualItCompany.Lifecycle.Tests;

public class InvalidTransitionTests
{
    private static readonly LifecycleEngine Engine = new(LifecycleDefinition.Default);

    [Fact]
    public void Firing_a_trigger_the_stage_does_not_permit_throws_and_lists_the_allowed_triggers()
    {
        var error = Assert.Throws<InvalidTransitionException>(
            () => Engine.Fire(LifecycleStage.CodeReview, LifecycleTrigger.TestsPassed));

        Assert.Equal("Trigger 'TestsPassed' is not allowed in stage 'CodeReview'. Allowed here: ReviewApproved, ChangesNeeded.", error.Message);
        Assert.Equal(LifecycleStage.CodeReview, error.Stage);
        Assert.Equal(LifecycleTrigger.TestsPassed, error.Trigger);
        Assert.Equal([LifecycleTrigger.ReviewApproved, LifecycleTrigger.ChangesNeeded], error.PermittedTriggers);
    }

    [Fact]
    public void Firing_in_a_terminal_stage_throws_and_says_no_trigger_is_allowed()
    {
        var error = Assert.Throws<InvalidTransitionException>(
            () => Engine.Fire(LifecycleStage.Completed, LifecycleTrigger.IssuesFound));

        Assert.Empty(error.PermittedTriggers);
        Assert.Contains("Trigger 'IssuesFound' is not allowed in stage 'Completed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("the lifecycle ends in this stage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_transition_is_an_invalid_operation()
    {
        var error = Assert.Throws<InvalidTransitionException>(
            () => Engine.Fire(LifecycleStage.Testing, new LifecycleTrigger("Celebrate")));
        Assert.IsAssignableFrom<InvalidOperationException>(error);
    }

    [Fact]
    public void Can_fire_is_false_for_a_trigger_the_stage_does_not_permit() =>
        Assert.False(Engine.CanFire(LifecycleStage.ProjectPlanning, LifecycleTrigger.ReviewApproved));

    [Fact]
    public void Firing_in_an_undeclared_stage_throws_an_argument_exception_naming_the_declared_stages()
    {
        var error = Assert.Throws<ArgumentException>(() => Engine.Fire(new LifecycleStage("Brainstorming"), LifecycleTrigger.PlanReady));
        Assert.Contains("Stage 'Brainstorming' is not declared in lifecycle 'Default'", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequirementsAnalysis, ProjectPlanning", error.Message, StringComparison.Ordinal);
        Assert.False(Engine.CanFire(new LifecycleStage("Brainstorming"), LifecycleTrigger.PlanReady));
        Assert.False(Engine.IsTerminal(new LifecycleStage("Brainstorming")));
        Assert.Throws<ArgumentException>(() => Engine.GetPermittedTriggers(new LifecycleStage("Brainstorming")));
    }

    [Fact]
    public void Getting_an_undeclared_stage_definition_throws_with_the_declared_stages_and_a_fix()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => LifecycleDefinition.Default.GetStage(new LifecycleStage("Brainstorming")));
        Assert.Contains("Stage 'Brainstorming' is not declared in lifecycle 'Default'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Completed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Stage(...)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Try_get_stage_finds_declared_stages_only()
    {
        Assert.True(LifecycleDefinition.Default.TryGetStage(LifecycleStage.Testing, out var testing));
        Assert.Equal([AgentRole.Tester], testing.Roles);
        Assert.False(LifecycleDefinition.Default.TryGetStage(new LifecycleStage("Brainstorming"), out var missing));
        Assert.Null(missing);
    }
}
