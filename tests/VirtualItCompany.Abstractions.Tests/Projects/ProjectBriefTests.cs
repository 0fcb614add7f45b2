namespace VirtualItCompany.Tests.Projects;

public sealed class ProjectBriefTests
{
    private static ProjectBrief Valid() => new() { Title = "Todo API", Description = "A small todo service.", AcceptanceCriteria = ["lists todos"], Budget = 5m, Client = "Acme" };

    [Fact]
    public void Valid_brief_has_no_problems()
    {
        Assert.Empty(Valid().GetProblems());
        Valid().Validate();
    }

    [Fact]
    public void Empty_title_and_negative_budget_are_both_reported_at_once()
    {
        var brief = Valid() with { Title = " ", Budget = -1m };

        var ex = Assert.Throws<InvalidBriefException>(brief.Validate);

        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith("Title is empty", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("Budget is -1", StringComparison.Ordinal));
    }

    [Fact]
    public void Over_long_description_is_rejected_with_its_length()
    {
        var brief = Valid() with { Description = new string('x', ProjectBrief.MaxDescriptionLength + 1) };

        var ex = Assert.Throws<InvalidBriefException>(brief.Validate);

        Assert.Contains("20001 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_or_blank_acceptance_criteria_are_rejected()
    {
        var brief = Valid() with { AcceptanceCriteria = [.. Enumerable.Repeat("c", ProjectBrief.MaxAcceptanceCriteria), ""] };

        var problems = brief.GetProblems();

        Assert.Contains(problems, p => p.Contains("at most 50", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AcceptanceCriteria[50] is empty", StringComparison.Ordinal));
    }
}
