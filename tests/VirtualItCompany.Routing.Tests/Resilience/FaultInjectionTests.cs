using Microsoft.Extensions.AI;
using Polly;
using Polly.Simmy;

namespace VirtualItCompany.Routing.Tests.Resilience;

public sealed class FaultInjectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (CostAwareRoutingChatClient Router, FakeModel Flaky, FakeModel Steady) Build(ResiliencePipeline chaos, Action<RoutingOptions>? configure = null)
    {
        var flaky = new FakeModel("flaky");
        var steady = new FakeModel("steady");
        var options = Models.OneBand(BandOrder.Preference, "flaky", "steady");
        options.Resilience.RetryDelay = TimeSpan.FromMilliseconds(1);
        configure?.Invoke(options);
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("flaky"), new ChaosChatClient(flaky, chaos)), new RoutedModel(Models.Profile("steady"), steady)], options);
        return (router, flaky, steady);
    }

    [Fact]
    public async Task Calls_complete_through_fallback_when_a_model_always_faults()
    {
        var chaos = new ResiliencePipelineBuilder().AddChaosFault(1.0, () => new HttpRequestException("boom", null, System.Net.HttpStatusCode.InternalServerError)).Build();
        var (router, flaky, steady) = Build(chaos);

        for (int i = 0; i < 20; i++)
        {
            var response = await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), Ct);
            Assert.Equal("steady", Models.DecisionOf(response).ChosenModelId);
        }

        Assert.Equal(0, flaky.Calls);
        Assert.Equal(20, steady.Calls);
    }

    [Fact]
    public async Task Calls_complete_when_half_the_calls_fault_and_the_rest_are_slow()
    {
        var chaos = new ResiliencePipelineBuilder()
            .AddChaosFault(0.5, () => new TimeoutException("injected"))
            .AddChaosLatency(0.5, TimeSpan.FromMilliseconds(5))
            .Build();
        var (router, _, _) = Build(chaos);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), Ct)));

        Assert.All(responses, r => Assert.Contains(Models.DecisionOf(r).ChosenModelId, new[] { "flaky", "steady" }));
    }

    [Fact]
    public async Task A_429_with_a_short_Retry_After_is_retried_on_the_same_model()
    {
        var flaky = new FakeModel("flaky") { FailOnCall = call => call == 1 ? new ModelRateLimitedException(TimeSpan.FromMilliseconds(20)) : null };
        var options = Models.OneBand(BandOrder.Preference, "flaky", "steady");
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("flaky"), flaky), new RoutedModel(Models.Profile("steady"), new FakeModel("steady"))], options);
        var started = TimeProvider.System.GetTimestamp();

        var response = await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), Ct);

        Assert.Equal("flaky", Models.DecisionOf(response).ChosenModelId);
        Assert.Equal(2, flaky.Calls);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(15));
    }

    [Fact]
    public async Task A_429_asking_to_wait_too_long_falls_back_at_once()
    {
        var chaos = new ResiliencePipelineBuilder().AddChaosFault(1.0, () => new ModelRateLimitedException(TimeSpan.FromMinutes(5))).Build();
        var (router, _, steady) = Build(chaos);

        var response = await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), Ct);

        var decision = Models.DecisionOf(response);
        Assert.Equal("steady", decision.ChosenModelId);
        Assert.Equal(["flaky"], decision.FailedOver);
        Assert.Contains("ModelRateLimitedException", decision.Candidates[0].Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_429s_injected_as_outcomes_are_retried_then_fall_back()
    {
        var chaos = new ResiliencePipelineBuilder().AddChaosFault(1.0, () => new HttpRequestException("Too Many Requests", null, System.Net.HttpStatusCode.TooManyRequests)).Build();
        var (router, _, steady) = Build(chaos, o => o.Resilience.MaxRetryAttempts = 2);

        var response = await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), Ct);

        Assert.Equal("steady", Models.DecisionOf(response).ChosenModelId);
        Assert.Equal(1, steady.Calls);
    }

    [Fact]
    public async Task A_slow_model_times_out_and_the_call_falls_back()
    {
        var chaos = new ResiliencePipelineBuilder().AddChaosLatency(1.0, TimeSpan.FromSeconds(30)).Build();
        var (router, _, _) = Build(chaos, o =>
        {
            o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(50);
            o.Resilience.MaxRetryAttempts = 0;
        });

        var response = await router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), Ct);

        Assert.Equal("steady", Models.DecisionOf(response).ChosenModelId);
    }

    [Fact]
    public async Task Cancellation_is_neither_retried_nor_failed_over()
    {
        var slow = new FakeModel("slow") { Delay = TimeSpan.FromSeconds(30) };
        var steady = new FakeModel("steady");
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("slow"), slow), new RoutedModel(Models.Profile("steady"), steady)], Models.OneBand(BandOrder.Preference, "slow", "steady"));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(1000));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithComplexity(5), cts.Token));

        Assert.Equal(1, slow.Calls);
        Assert.Equal(0, steady.Calls);
        Assert.Equal(0m, router.Company().Reserved);
    }

    [Fact]
    public async Task When_every_model_fails_the_last_failure_surfaces()
    {
        var a = new FakeModel("a") { FailOnCall = _ => new InvalidOperationException("a broke") };
        var b = new FakeModel("b") { FailOnCall = _ => new InvalidOperationException("b broke") };
        var router = new CostAwareRoutingChatClient([new RoutedModel(Models.Profile("a"), a), new RoutedModel(Models.Profile("b"), b)], Models.OneBand(BandOrder.Preference, "a", "b"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => router.GetResponseAsync(Models.Ask("hi"), null, Ct));

        Assert.Equal("b broke", error.Message);
        Assert.Equal(0m, router.Company().Reserved);
    }

    [Fact]
    public async Task When_a_model_fails_and_the_next_does_not_fit_the_budget_the_budget_is_what_surfaces()
    {
        var cheap = new FakeModel("cheap") { FailOnCall = _ => new InvalidOperationException("cheap broke") };
        var dear = new FakeModel("dear");
        var router = new CostAwareRoutingChatClient(
            [new RoutedModel(Models.Profile("cheap", input: 1m, output: 2m), cheap), new RoutedModel(Models.Profile("dear", input: 100m, output: 200m), dear)],
            Models.OneBand(BandOrder.Preference, "cheap", "dear"));

        var error = await Assert.ThrowsAsync<BudgetExhaustedException>(() => router.GetResponseAsync(Models.Ask("hi"), new ChatOptions().WithBudget(router, "p", 0.1m), Ct));

        Assert.Equal("project:p", error.Scope);
        Assert.Equal("cheap broke", Assert.IsType<InvalidOperationException>(error.Data[CostAwareRoutingChatClient.LastFailureDataKey]).Message);
        Assert.Equal(0, dear.Calls);
    }
}
