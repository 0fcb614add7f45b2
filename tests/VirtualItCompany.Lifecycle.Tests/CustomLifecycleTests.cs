namespace VirtualItCompany.Lifecycle.Tests;

using static Publishing;

public class CustomLifecycleTests
{
    private static LifecycleDefinition Editorial() =>
        LifecycleDefinition.CreateBuilder("Editorial", Draft)
            .FanOutStage(Draft, Author)
            .Stage(Review, Editor, Author)
            .Terminal(Published)
            .Permit(Draft, Edit, Draft)
            .Permit(Draft, Submit, Review)
            .Permit(Review, Reject, Draft)
            .Permit(Review, Approve, Published)
            .Build();

    [Fact]
    public void A_custom_lifecycle_built_in_code_runs_from_draft_to_published()
    {
        var engine = new LifecycleEngine(Editorial());

        var stage = engine.Definition.InitialStage;
        stage = engine.Fire(stage, Edit);
        Assert.Equal(Draft, stage);
        stage = engine.Fire(stage, Submit);
        Assert.Equal(Review, stage);
        stage = engine.Fire(stage, Reject);
        Assert.Equal(Draft, stage);
        stage = engine.Fire(engine.Fire(stage, Submit), Approve);

        Assert.Equal(Published, stage);
        Assert.True(engine.IsTerminal(stage));
        Assert.Empty(engine.GetPermittedTriggers(stage));
    }

    [Fact]
    public void A_custom_lifecycle_keeps_its_stages_roles_and_transitions_as_declared()
    {
        var definition = Editorial();

        Assert.Equal("Editorial", definition.Name);
        Assert.Equal([Draft, Review, Published], definition.Stages.Select(s => s.Stage));
        Assert.Equal(new StageDefinition(Draft, definition.GetStage(Draft).Roles, StageFanOut.PerPlannedFeature), definition.GetStage(Draft));
        Assert.Equal([Editor, Author], definition.GetStage(Review).Roles);
        Assert.Null(definition.GetStage(Review).FanOut);
        Assert.Equal(
            [
                new LifecycleTransition(Draft, Edit, Draft),
                new LifecycleTransition(Draft, Submit, Review),
                new LifecycleTransition(Review, Reject, Draft),
                new LifecycleTransition(Review, Approve, Published),
            ],
            definition.Transitions);
    }

    [Fact]
    public void A_custom_lifecycle_permits_triggers_in_declaration_order()
    {
        var engine = new LifecycleEngine(Editorial());
        Assert.Equal([Edit, Submit], engine.GetPermittedTriggers(Draft));
        Assert.Equal([Reject, Approve], engine.GetPermittedTriggers(Review));
    }

    [Fact]
    public void A_custom_lifecycle_can_be_drawn_as_mermaid()
    {
        var mermaid = new LifecycleEngine(Editorial()).ToMermaid();

        Assert.StartsWith("stateDiagram-v2", mermaid, StringComparison.Ordinal);
        Assert.Contains("Draft --> Draft : Edit", mermaid, StringComparison.Ordinal);
        Assert.Contains("Review --> Published : Approve", mermaid, StringComparison.Ordinal);
        Assert.Contains("[*] --> Draft", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_lifecycle_may_name_a_declared_stage_in_another_case_and_gets_it_back_as_declared()
    {
        var engine = new LifecycleEngine(Minimal().Permit(Draft, Reject, new LifecycleStage("DRAFT")).Permit(Draft, Submit, new LifecycleStage("published")).Build());

        Assert.Equal("Draft", engine.Fire(Draft, Reject).Value);
        Assert.Equal("Published", engine.Fire(Draft, Submit).Value);
    }

    [Fact]
    public void A_custom_lifecycle_may_have_several_terminal_stages()
    {
        var definition = Minimal().Terminal(Archive).Permit(Draft, Reject, Archive).Build();
        var engine = new LifecycleEngine(definition);

        Assert.Equal(Archive, engine.Fire(Draft, Reject));
        Assert.True(engine.IsTerminal(Archive));
        Assert.True(engine.IsTerminal(Published));
    }
}
