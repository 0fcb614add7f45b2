using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Routing;

public sealed class StreamingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_streamed_call_carries_its_decision_and_settles_from_UsageContent()
    {
        var model = new FakeModel("a") { OutputTokens = 1_000 };
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a", input: 1m, output: 10m), model)], Models.OneBand(BandOrder.Preference, "a"));
        var updates = new List<ChatResponseUpdate>();

        await foreach (var update in router.GetStreamingResponseAsync(Models.Ask("hello there"), new ChatOptions().WithBudget(router, "p", 1m), Ct))
        {
            updates.Add(update);
        }

        Assert.IsType<RoutingDecision>(updates[0].AdditionalProperties?[RoutingDecision.PropertyKey]);
        var account = router.Project("p");
        Assert.Equal((3m * 1m + 1_000m * 10m) / 1_000_000m, account.Spent);
        Assert.Equal(0m, account.Reserved);
    }

    [Fact]
    public async Task A_stream_that_fails_before_output_falls_back_to_the_next_model()
    {
        var a = new FakeModel("a") { FailOnCall = _ => new TimeoutException() };
        var b = new FakeModel("b");
        var options = Models.OneBand(BandOrder.Preference, "a", "b");
        options.Resilience.MaxRetryAttempts = 0;
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a"), a), new RoutedModel(Models.Profile("b"), b)], options);

        var response = await router.GetStreamingResponseAsync(Models.Ask("hi"), null, Ct).ToChatResponseAsync(Ct);

        Assert.Equal("Hello from the model", response.Text);
        Assert.Equal("b", response.ModelId);
    }

    [Fact]
    public async Task A_stream_that_breaks_after_output_is_rethrown_never_switched()
    {
        var a = new FakeModel("a") { BreakStreamAfter = 1 };
        var b = new FakeModel("b");
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a"), a), new RoutedModel(Models.Profile("b"), b)], Models.OneBand(BandOrder.Preference, "a", "b"));
        var text = new System.Text.StringBuilder();

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var update in router.GetStreamingResponseAsync(Models.Ask("hi"), null, Ct))
            {
                text.Append(update.Text);
            }
        });

        Assert.Equal("Hello", text.ToString());
        Assert.Equal(0, b.Calls);
        Assert.Equal(0m, router.Company().Reserved);
    }
}
