namespace VirtualItCompany.Lifecycle.Tests;

using static Publishing;

public class LifecycleValidatorTests
{
    private static IReadOnlyList<string> ProblemsOf(LifecycleDefinitionBuilder builder) =>
        Assert.Throws<InvalidLifecycleException>(builder.Build).Problems;

    private static string SingleProblemOf(LifecycleDefinitionBuilder builder) => Assert.Single(ProblemsOf(builder));

    [Fact]
    public void The_minimal_lifecycle_has_no_problems() => Assert.Empty(Minimal().Build().GetProblems());

    [Fact]
    public void A_lifecycle_without_stages_is_rejected() =>
        Assert.StartsWith("The lifecycle declares no stages", SingleProblemOf(LifecycleDefinition.CreateBuilder("Empty", Draft)), StringComparison.Ordinal);

    [Fact]
    public void A_lifecycle_whose_initial_stage_is_not_declared_is_rejected()
    {
        var builder = LifecycleDefinition.CreateBuilder("Publishing", Draft)
            .Stage(Review, Editor)
            .Terminal(Published)
            .Permit(Review, Approve, Published);
        Assert.Equal("The initial stage 'Draft' is not declared; declare it with Stage(...).", SingleProblemOf(builder));
    }

    [Fact]
    public void A_transition_from_an_undeclared_stage_is_rejected() =>
        Assert.Equal(
            "The transition from 'Review' on 'Approve' to 'Published' starts at stage 'Review', which is not declared; declare it or remove the transition.",
            SingleProblemOf(Minimal().Permit(Review, Approve, Published)));

    [Fact]
    public void A_transition_to_an_undeclared_stage_is_rejected() =>
        Assert.Equal(
            "The transition from 'Draft' on 'Submit' to 'Review' leads to stage 'Review', which is not declared; declare it or remove the transition.",
            SingleProblemOf(Minimal().Permit(Draft, Submit, Review)));

    [Fact]
    public void A_trigger_leading_one_stage_to_two_different_stages_is_rejected()
    {
        var builder = Minimal()
            .Stage(Review, Editor)
            .Permit(Review, Approve, Published)
            .Permit(Draft, Publish, Review);
        Assert.Equal(
            "Stage 'Draft' sends trigger 'Publish' to both 'Published' and 'Review'; a trigger must lead to one stage, so remove one of the transitions.",
            ProblemsOf(builder)[0]);
    }

    [Fact]
    public void Permitting_the_same_transition_twice_is_not_a_problem()
    {
        var definition = Minimal().Permit(Draft, Publish, Published).Build();
        Assert.Single(definition.Transitions);
    }

    [Fact]
    public void A_stage_unreachable_from_the_initial_stage_is_rejected() =>
        Assert.Equal(
            "Stage 'Review' cannot be reached from the initial stage 'Draft'; add a transition into it or remove it.",
            SingleProblemOf(Minimal().Stage(Review, Editor).Permit(Review, Approve, Published)));

    [Fact]
    public void A_non_terminal_stage_with_no_way_out_is_rejected() =>
        Assert.Equal(
            "Stage 'Review' has no way out: it is not terminal and no transition leaves it; add a Permit(...) from it or declare it with Terminal(...).",
            SingleProblemOf(Minimal().Stage(Review, Editor).Permit(Draft, Submit, Review)));

    [Fact]
    public void A_terminal_stage_with_outgoing_transitions_is_rejected() =>
        Assert.Equal(
            "Terminal stage 'Published' has outgoing transitions (on 'Edit'); a finished project must stay finished, so remove them or declare the stage with Stage(...).",
            SingleProblemOf(Minimal().Permit(Published, Edit, Draft)));

    [Fact]
    public void A_lifecycle_without_a_terminal_stage_is_rejected()
    {
        var builder = LifecycleDefinition.CreateBuilder("Endless", Draft)
            .Stage(Draft, Author)
            .Stage(Review, Editor)
            .Permit(Draft, Submit, Review)
            .Permit(Review, Reject, Draft);
        Assert.Equal("No terminal stage is declared, so no project could ever finish; declare one with Terminal(...).", SingleProblemOf(builder));
    }

    [Fact]
    public void A_non_terminal_stage_without_roles_is_rejected() =>
        Assert.Equal(
            "Stage 'Review' has no roles, so no one would work in it; name at least one role, or declare it with Terminal(...) if projects end there.",
            SingleProblemOf(Minimal().Stage(Review).Permit(Draft, Submit, Review).Permit(Review, Approve, Published)));

    [Fact]
    public void A_stage_from_which_no_terminal_stage_can_be_reached_is_rejected()
    {
        var builder = Minimal()
            .Stage(Review, Editor)
            .Stage(Archive, Editor)
            .Permit(Draft, Submit, Review)
            .Permit(Review, Reject, Archive)
            .Permit(Archive, Edit, Review);
        Assert.Equal(
            [
                "No terminal stage can be reached from stage 'Review', so a project entering it could never finish; add a transition towards a terminal stage.",
                "No terminal stage can be reached from stage 'Archive', so a project entering it could never finish; add a transition towards a terminal stage.",
            ],
            ProblemsOf(builder));
    }

    [Fact]
    public void A_stage_declared_twice_is_rejected() =>
        Assert.Equal("Stage 'Draft' is declared more than once; declare each stage once.", SingleProblemOf(Minimal().Stage(Draft, Editor)));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var builder = LifecycleDefinition.CreateBuilder("Broken", Draft)
            .Stage(Draft)
            .Stage(Review, Editor)
            .Stage(Archive, Editor)
            .Permit(Draft, Submit, Review)
            .Permit(Draft, Submit, Archive)
            .Permit(Draft, Publish, Published);

        var error = Assert.Throws<InvalidLifecycleException>(builder.Build);

        Assert.Equal(
            [
                "No terminal stage is declared, so no project could ever finish; declare one with Terminal(...).",
                "Stage 'Draft' sends trigger 'Submit' to both 'Review' and 'Archive'; a trigger must lead to one stage, so remove one of the transitions.",
                "The transition from 'Draft' on 'Publish' to 'Published' leads to stage 'Published', which is not declared; declare it or remove the transition.",
                "Stage 'Draft' has no roles, so no one would work in it; name at least one role, or declare it with Terminal(...) if projects end there.",
                "Stage 'Review' has no way out: it is not terminal and no transition leaves it; add a Permit(...) from it or declare it with Terminal(...).",
                "Stage 'Archive' has no way out: it is not terminal and no transition leaves it; add a Permit(...) from it or declare it with Terminal(...).",
                "Stage 'Archive' cannot be reached from the initial stage 'Draft'; add a transition into it or remove it.",
            ],
            error.Problems);
        Assert.StartsWith("The lifecycle 'Broken' is not valid: No terminal stage is declared", error.Message, StringComparison.Ordinal);
        Assert.All(error.Problems, problem => Assert.Contains(problem, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_engine_refuses_a_definition_with_problems()
    {
        var invalid = Minimal().Stage(Review, Editor).BuildUnchecked();

        var error = Assert.Throws<InvalidLifecycleException>(() => new LifecycleEngine(invalid));

        Assert.Equal(invalid.GetProblems(), error.Problems);
        Assert.NotEmpty(error.Problems);
    }

    [Fact]
    public void The_builder_refuses_values_without_a_name()
    {
        Assert.Throws<ArgumentException>(() => LifecycleDefinition.CreateBuilder("Publishing", default));
        Assert.Throws<ArgumentException>(() => LifecycleDefinition.CreateBuilder(" ", Draft));
        Assert.Throws<ArgumentException>(() => Minimal().Stage(default, Author));
        Assert.Throws<ArgumentException>(() => Minimal().Stage(Review, default(AgentRole)));
        Assert.Throws<ArgumentException>(() => Minimal().Terminal(default));
        Assert.Throws<ArgumentException>(() => Minimal().Permit(Draft, default, Review));
    }
}
