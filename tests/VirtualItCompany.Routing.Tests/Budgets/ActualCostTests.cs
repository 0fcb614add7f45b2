using System.Net;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Budgets;

/// <summary>The decision reports what the call was charged, so the project's recorded spend matches the ledger.</summary>
public sealed class ActualCostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_response_reports_what_its_call_was_charged()
    {
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a", input: 1m, output: 10m), new FakeModel("a") { OutputTokens = 1_000 })], Models.OneBand(BandOrder.Preference, "a"));

        var decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("hello there"), new ChatOptions().WithBudget(router, "p", 1m), Ct));

        Assert.Equal((3m * 1m + 1_000m * 10m) / 1_000_000m, decision.ActualCost);
        Assert.Equal(router.Project("p").Spent, decision.ActualCost);
    }

    [Fact]
    public async Task The_actual_cost_includes_failed_attempts_that_were_charged()
    {
        var a = new FakeModel("a") { FailOnCall = _ => new HttpRequestException("oops", null, HttpStatusCode.InternalServerError) };
        var b = new FakeModel("b");
        var options = Models.OneBand(BandOrder.Preference, "a", "b");
        options.Resilience.MaxRetryAttempts = 1;
        options.Resilience.RetryDelay = TimeSpan.Zero;
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a"), a), new RoutedModel(Models.Profile("b"), b)], options);

        var decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithBudget(router, "p", 1m), Ct));

        Assert.Equal("b", decision.ChosenModelId);
        Assert.Equal(2, a.Calls);
        Assert.Equal(router.Project("p").Spent, decision.ActualCost);
        Assert.True(decision.ActualCost > 2 * decision.EstimatedCost);
    }

    [Fact]
    public async Task A_stream_ends_with_an_update_whose_decision_reports_what_was_charged()
    {
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a", input: 1m, output: 10m), new FakeModel("a") { OutputTokens = 1_000 })], Models.OneBand(BandOrder.Preference, "a"));
        var updates = new List<ChatResponseUpdate>();

        await foreach (var update in router.GetStreamingResponseAsync(Models.Ask("hello there"), new ChatOptions().WithBudget(router, "p", 1m), Ct))
        {
            updates.Add(update);
        }

        var final = Assert.IsType<RoutingDecision>(updates[^1].AdditionalProperties?[RoutingDecision.PropertyKey]);
        Assert.Equal((3m * 1m + 1_000m * 10m) / 1_000_000m, final.ActualCost);
        Assert.Equal(router.Project("p").Spent, final.ActualCost);
        Assert.Equal("a", final.ChosenModelId);
        var merged = Models.DecisionOf(updates.ToChatResponse());
        Assert.Equal(final.ActualCost, merged.ActualCost);
        Assert.Equal("Hello from the model", updates.ToChatResponse().Text);
    }
}
