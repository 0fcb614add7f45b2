using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>A stage or project past its time limit is paused for a human, not failed; a resume restarts its clock.</summary>
public sealed class TimeLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stage_past_its_limit_pauses_the_project_and_fails_nothing()
    {
        var developer = SlowDeveloper(TimeSpan.FromMilliseconds(200));
        await using var company = new TestCompany(
            b => b.AddAgent(new ForwardAgent(AgentRole.ProjectManager, featureCount: 3)).AddAgent(developer),
            o =>
            {
                o.Workers = 1;
                o.StageTimeLimits[LifecycleStage.FeatureDevelopment.Value] = TimeSpan.FromMilliseconds(100);
            });
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectPaused);

        var paused = events.OfType<ProjectPaused>().Single();
        Assert.Contains("FeatureDevelopment", paused.Reason, StringComparison.Ordinal);
        Assert.Contains("time limit", paused.Reason, StringComparison.Ordinal);
        Assert.Empty(events.OfType<WorkItemFailed>());
        var snapshot = await company.Company.GetAsync(project.Id, Ct);
        Assert.Equal(ProjectStatus.Paused, snapshot.Status);
        Assert.Equal(LifecycleStage.FeatureDevelopment, snapshot.Stage);
    }

    [Fact]
    public async Task A_resumed_project_gets_its_stage_time_again()
    {
        var developer = SlowDeveloper(TimeSpan.FromMilliseconds(150));
        await using var company = new TestCompany(
            b => b.AddAgent(new ForwardAgent(AgentRole.ProjectManager, featureCount: 2)).AddAgent(developer),
            o =>
            {
                o.Workers = 1;
                o.StageTimeLimits[LifecycleStage.FeatureDevelopment.Value] = TimeSpan.FromMilliseconds(100);
            });
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var first = await company.WatchUntilAsync(project.Id, e => e is ProjectPaused);
        var before = await company.Company.GetAsync(project.Id, Ct);

        await company.Company.ResumeAsync(project.Id, Ct);
        var after = await company.Company.GetAsync(project.Id, Ct);

        Assert.True(after.StageClockStartedAt > before.StageClockStartedAt);
        Assert.True(after.ClockStartedAt > before.ClockStartedAt);
    }

    [Fact]
    public async Task A_project_past_its_limit_is_paused_even_as_it_moves_on()
    {
        var manager = new ScriptedAgent(AgentRole.ProjectManager, async (context, n, ct) =>
        {
            await Task.Delay(150, ct);
            return AgentOutcome.Completed("requirements", LifecycleTrigger.RequirementsClear);
        });
        await using var company = new TestCompany(b => b.AddAgent(manager), o => o.ProjectTimeLimit = TimeSpan.FromMilliseconds(100));
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var events = await company.WatchUntilAsync(project.Id, e => e is ProjectPaused);

        Assert.Contains("ProjectTimeLimit", events.OfType<ProjectPaused>().Single().Reason, StringComparison.Ordinal);
        Assert.Single(events.OfType<StageChanged>()); // the work done is kept: the stage moved on, then the project paused
    }

    [Fact]
    public void Limits_that_are_not_positive_or_name_an_unknown_stage_are_refused_at_start()
    {
        var options = new CompanyOptions { ProjectTimeLimit = TimeSpan.Zero, StageTimeLimit = TimeSpan.FromSeconds(-1) };
        options.StageTimeLimits["Developmnet"] = TimeSpan.FromHours(1);

        var problems = options.GetProblems();

        Assert.Contains(problems, p => p.StartsWith("ProjectTimeLimit", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("StageTimeLimit is", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'Developmnet'", StringComparison.Ordinal) && p.Contains("FeatureDevelopment", StringComparison.Ordinal));
    }

    private static ScriptedAgent SlowDeveloper(TimeSpan delay) => new(AgentRole.Developer, async (context, n, ct) =>
    {
        await Task.Delay(delay, ct);
        return AgentOutcome.Completed("built", LifecycleTrigger.FeaturesComplete);
    });
}
