using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany.Routing.Tests.Budgets;

/// <summary>The model is called capped at the output it was reserved for; one that exceeds it anyway is charged, reported and counted unhealthy.</summary>
public sealed class OutputCapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_model_is_called_with_a_copy_of_the_options_capped_at_the_reservation()
    {
        var model = new FakeModel("a");
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a", maxOutput: 2_000), model)], Models.OneBand(BandOrder.Preference, "a"));
        var options = new ChatOptions { MaxOutputTokens = 100_000 };

        await router.GetResponseAsync(Models.Ask("hi"), options, Ct);

        var seen = Assert.Single(model.SeenOptions)!;
        Assert.NotSame(options, seen);
        Assert.Equal(2_000, seen.MaxOutputTokens);
        Assert.Equal("a-model", seen.ModelId);
        Assert.Equal(100_000, options.MaxOutputTokens);
    }

    [Fact]
    public async Task A_model_that_exceeds_the_reservation_is_charged_its_real_cost_logged_and_counted_unhealthy()
    {
        var greedy = new FakeModel("greedy") { IgnoreMaxOutputTokens = true, OutputTokens = 50_000 };
        var steady = new FakeModel("steady");
        var options = Models.OneBand(BandOrder.Preference, "greedy", "steady");
        options.Resilience.MinimumThroughput = 2;
        options.Resilience.FailureRatio = 0.5;
        var logger = new ListLogger();
        var router = new CostAwareRoutingChatClient(
            [new RoutedModel(Models.Profile("greedy", input: 1m, output: 2m), greedy), new RoutedModel(Models.Profile("steady"), steady)], options, logger: logger);
        var call = new ChatOptions { MaxOutputTokens = 100 };

        var first = await router.GetResponseAsync(Models.Ask("hi"), call, Ct);
        var second = await router.GetResponseAsync(Models.Ask("hi"), call, Ct);

        var decision = Models.DecisionOf(first);
        Assert.Equal("greedy", decision.ChosenModelId);
        decimal realCost = (1m * 1m + 50_000m * 2m) / 1_000_000m; // "hi" is one input token to the fake
        decimal steadyCost = (1m * 1m + 50m * 2m) / 1_000_000m;
        Assert.Equal(realCost + steadyCost, router.Company().Spent);
        Assert.True(realCost > decision.EstimatedCost);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("greedy", StringComparison.Ordinal));
        Assert.Equal("steady", Models.DecisionOf(second).ChosenModelId);
        Assert.Equal(1, greedy.Calls);
    }
}
