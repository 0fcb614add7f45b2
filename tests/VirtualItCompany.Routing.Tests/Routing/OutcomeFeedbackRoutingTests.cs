using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Routing.Tests.Routing;

/// <summary>How the router uses the outcome statistics: the chosen model's rate in every decision; a band up only with the policy on, and never past the budget rules.</summary>
public sealed class OutcomeFeedbackRoutingTests
{
    private static readonly AgentRole Role = AgentRole.Developer;
    private static readonly LifecycleStage Stage = new("Development");
    private static readonly ModelProfile CheapModel = Models.Profile("cheap", input: 1m, output: 2m, tier: 1);
    private static readonly ModelProfile StrongModel = Models.Profile("strong", input: 10m, output: 20m, tier: 4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ModelOutcomeReport HeldUp = new(
        [new ModelOutcomeRate("cheap", Role, Stage, 1, 3), new ModelOutcomeRate("strong", Role, Stage, 2, 0)],
        [new OutcomeBandShift(Role, Stage, 1, "3 of the last 4 verdicts sent it back"), new OutcomeBandShift(AgentRole.ProjectManager, Stage, 0, "fine")]);

    private static CostAwareRoutingChatClient Router(bool policyOn, IModelOutcomeStatistics? statistics, IBudgetAccount? budget = null)
    {
        var options = new RoutingOptions
        {
            Policy = new RoutingPolicy { Bands = [new RoutingBand { MinComplexity = 1, MaxComplexity = 5, Models = ["cheap"] }, new RoutingBand { MinComplexity = 6, MaxComplexity = 10, Models = ["strong"] }] },
        };
        options.OutcomeFeedback.Enabled = policyOn;
        return new CostAwareRoutingChatClient([new RoutedModel(CheapModel, new FakeModel("cheap-model")), new RoutedModel(StrongModel, new FakeModel("strong-model"))], options, budget, outcomes: statistics);
    }

    private static ChatOptions Call(int complexity = 3, AgentRole? role = null) =>
        new ModelCallContext(new ProjectId("p"), "wi_1", role ?? Role, Stage) { ProjectVersion = 7 }.AttachTo(new ChatOptions().WithComplexity(complexity));

    [Fact]
    public async Task With_the_policy_on_a_held_up_stage_moves_one_band_up_and_says_why()
    {
        var statistics = new FixedStatistics(HeldUp);
        var decision = Models.DecisionOf(await Router(policyOn: true, statistics).GetResponseAsync(Models.Ask("write it"), Call(), Ct));

        Assert.Equal("strong", decision.ChosenModelId);
        Assert.Equal(1, decision.OutcomeBandsUp);
        Assert.Contains("one band up by outcome feedback (3 of the last 4 verdicts sent it back)", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(new ModelOutcomeRate("strong", Role, Stage, 2, 0), decision.ChosenModelOutcomes);
        // The statistics were asked for the call's own work item, so its project is read up to where the item began.
        Assert.Equal(7, statistics.Asked.Single()!.ProjectVersion);
    }

    [Fact]
    public async Task With_the_policy_off_nothing_moves_but_the_chosen_models_rate_is_shown()
    {
        var decision = Models.DecisionOf(await Router(policyOn: false, new FixedStatistics(HeldUp)).GetResponseAsync(Models.Ask("write it"), Call(), Ct));

        Assert.Equal("cheap", decision.ChosenModelId);
        Assert.Equal(0, decision.OutcomeBandsUp);
        Assert.DoesNotContain("outcome feedback", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(new ModelOutcomeRate("cheap", Role, Stage, 1, 3), decision.ChosenModelOutcomes);
        Assert.Equal(0.25, decision.ChosenModelOutcomes!.AcceptanceRate);
    }

    [Fact]
    public async Task Another_role_or_a_stage_not_held_up_stays_in_its_band_and_a_model_not_yet_judged_shows_no_verdicts()
    {
        var decision = Models.DecisionOf(await Router(policyOn: true, new FixedStatistics(HeldUp)).GetResponseAsync(Models.Ask("plan it"), Call(role: AgentRole.ProjectManager), Ct));

        Assert.Equal("cheap", decision.ChosenModelId);
        Assert.Equal(0, decision.OutcomeBandsUp);
        Assert.Equal(0, decision.ChosenModelOutcomes!.Verdicts);
        Assert.Null(decision.ChosenModelOutcomes.AcceptanceRate);
    }

    [Fact]
    public async Task The_budget_rules_come_first_near_the_tier_down_threshold_or_when_the_higher_band_does_not_fit()
    {
        var account = new InMemoryBudgetAccount();
        var router = Router(policyOn: true, new FixedStatistics(HeldUp), account);

        // Past 80% spent: the tier-down threshold wins over the feedback.
        var near = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("write it"), new ChatOptions().WithComplexity(3).WithBudget(account, "near", limit: 1m, spent: 0.85m), Ct));
        Assert.Equal("cheap", near.ChosenModelId);
        Assert.Equal(0, near.OutcomeBandsUp);
        Assert.Contains("would move it up a band (3 of the last 4 verdicts sent it back), not moved: the budget is past its tier-down threshold", near.Reason, StringComparison.Ordinal);

        // Room for the cheap model's worst case ($0.0082) but not the strong model's ($0.082): the call stays and is not refused.
        var tight = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("write it"), new ChatOptions().WithComplexity(3).WithBudget(account, "tight", limit: 0.02m), Ct));
        Assert.Equal("cheap", tight.ChosenModelId);
        Assert.Equal(0, tight.OutcomeBandsUp);
        Assert.Contains("no model of band 6-10 is within what the budget leaves", tight.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_already_in_the_highest_band_stays_there()
    {
        var decision = Models.DecisionOf(await Router(policyOn: true, new FixedStatistics(HeldUp)).GetResponseAsync(Models.Ask("write it"), Call(complexity: 9), Ct));

        Assert.Equal("strong", decision.ChosenModelId);
        Assert.Equal(0, decision.OutcomeBandsUp);
        Assert.Contains("not moved: the call is already in the highest band", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statistics_that_fail_do_not_stop_the_call_and_a_call_outside_a_work_item_does_not_ask_for_them()
    {
        var failing = new FixedStatistics(HeldUp) { Failure = new InvalidOperationException("store down") };
        var decision = Models.DecisionOf(await Router(policyOn: true, failing).GetResponseAsync(Models.Ask("write it"), Call(), Ct));
        Assert.Equal("cheap", decision.ChosenModelId);
        Assert.Null(decision.ChosenModelOutcomes);

        var statistics = new FixedStatistics(HeldUp);
        var outside = Models.DecisionOf(await Router(policyOn: true, statistics).GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(3), Ct));
        Assert.Equal("cheap", outside.ChosenModelId);
        Assert.Null(outside.ChosenModelOutcomes);
        Assert.Empty(statistics.Asked);
    }

    [Fact]
    public void Options_list_every_problem_at_once()
    {
        var options = new RoutingOptions();
        options.OutcomeFeedback.MinVerdicts = 0;
        options.OutcomeFeedback.Window = 0;
        options.OutcomeFeedback.RaiseAtSentBackRate = 1.5;
        options.OutcomeFeedback.LowerAfterAcceptances = 0;
        options.OutcomeFeedback.RefreshInterval = TimeSpan.Zero;

        var problems = options.GetProblems();

        Assert.Equal(5, problems.Count(p => p.StartsWith("OutcomeFeedback.", StringComparison.Ordinal)));
        Assert.Contains(problems, p => p.Contains("RaiseAtSentBackRate is 1.5", StringComparison.Ordinal));
        var fewer = new OutcomeFeedbackOptions { MinVerdicts = 5, Window = 3 };
        Assert.Contains("more than OutcomeFeedback.Window", Assert.Single(fewer.GetProblems()), StringComparison.Ordinal);
        Assert.Empty(new OutcomeFeedbackOptions().GetProblems());
        Assert.False(new OutcomeFeedbackOptions().Enabled);
    }

    [Fact]
    public void Options_bind_from_configuration_and_bad_values_fail_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Routing:OutcomeFeedback:Enabled"] = "true",
            ["VirtualItCompany:Routing:OutcomeFeedback:MinVerdicts"] = "4",
            ["VirtualItCompany:Routing:OutcomeFeedback:RaiseAtSentBackRate"] = "0.75",
            ["VirtualItCompany:Routing:OutcomeFeedback:RefreshInterval"] = "00:00:05",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddModelRouting().BuildServiceProvider();
        var bound = services.GetRequiredService<IOptions<RoutingOptions>>().Value.OutcomeFeedback;
        Assert.True(bound.Enabled);
        Assert.Equal(4, bound.MinVerdicts);
        Assert.Equal(0.75, bound.RaiseAtSentBackRate);
        Assert.Equal(TimeSpan.FromSeconds(5), bound.RefreshInterval);

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["VirtualItCompany:Routing:OutcomeFeedback:Window"] = "0" }).Build();
        using var badServices = new ServiceCollection().AddSingleton<IConfiguration>(bad).AddModelRouting().BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => badServices.GetRequiredService<IOptions<RoutingOptions>>().Value);
        Assert.Contains("OutcomeFeedback.Window is 0", error.Message, StringComparison.Ordinal);
    }

    private sealed class FixedStatistics(ModelOutcomeReport report) : IModelOutcomeStatistics
    {
        public List<ModelCallContext?> Asked { get; } = [];

        public Exception? Failure { get; init; }

        public ValueTask<ModelOutcomeReport> GetReportAsync(ModelCallContext? call = null, CancellationToken cancellationToken = default)
        {
            Asked.Add(call);
            return Failure is null ? ValueTask.FromResult(report) : ValueTask.FromException<ModelOutcomeReport>(Failure);
        }
    }
}
