using System.Net;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Budgets;

/// <summary>Spend is never under-counted: what may have been billed is charged, and only what certainly was not is released.</summary>
public sealed class SpendAccountingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CostAwareRoutingChatClient Router(FakeModel a, FakeModel? b = null, int retries = 0)
    {
        var models = new List<RoutedModel> { new(Models.Profile(a.ModelId), a) };
        if (b is not null)
        {
            models.Add(new RoutedModel(Models.Profile(b.ModelId), b));
        }

        var options = Models.OneBand(BandOrder.Preference, [.. models.Select(m => m.Profile.Id)]);
        options.Resilience.MaxRetryAttempts = retries;
        options.Resilience.RetryDelay = TimeSpan.Zero;
        return new CostAwareRoutingChatClient(models, options);
    }

    private static async Task<decimal> ReservationAsync(CostAwareRoutingChatClient router, ChatOptions? options = null) =>
        (await router.PreviewAsync(Models.Ask("hi"), options, Ct)).EstimatedCost;

    [Fact]
    public async Task Usage_without_output_tokens_is_settled_at_the_reservation()
    {
        var model = new FakeModel("a") { ReportOutputTokens = false };
        var router = Router(model);
        decimal reserved = await ReservationAsync(router);

        await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal(reserved, router.Company().Spent);
        Assert.Equal(0m, router.Company().Reserved);
    }

    [Fact]
    public async Task A_model_that_fails_after_the_request_may_have_been_sent_is_charged_its_reservation()
    {
        var a = new FakeModel("a") { FailOnCall = _ => new HttpRequestException("bad gateway", null, HttpStatusCode.BadGateway) };
        var b = new FakeModel("b") { ReportUsage = false };
        var router = Router(a, b);
        decimal reserved = await ReservationAsync(router);

        var response = await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal("b", Models.DecisionOf(response).ChosenModelId);
        Assert.Equal(2 * reserved, router.Company().Spent);
        Assert.Equal(0m, router.Company().Reserved);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task A_model_that_refused_the_call_is_not_charged(HttpStatusCode status)
    {
        var a = new FakeModel("a") { FailOnCall = _ => new HttpRequestException("refused", null, status) };
        var b = new FakeModel("b") { ReportUsage = false };
        var router = Router(a, b);
        decimal reserved = await ReservationAsync(router);

        await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal(reserved, router.Company().Spent);
    }

    [Fact]
    public async Task A_rate_limited_or_unreachable_model_is_not_charged()
    {
        var a = new FakeModel("a") { FailOnCall = call => call == 1 ? new ModelRateLimitedException(TimeSpan.FromHours(1)) : new HttpRequestException(HttpRequestError.ConnectionError, "connection refused") };
        var b = new FakeModel("b") { ReportUsage = false };
        var router = Router(a, b);
        decimal reserved = await ReservationAsync(router);

        await router.GetResponseAsync(Models.Ask("hi"), null, Ct);
        await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal(2 * reserved, router.Company().Spent);
    }

    [Fact]
    public async Task A_call_cancelled_mid_call_is_charged_its_reservation()
    {
        var a = new FakeModel("a") { Delay = TimeSpan.FromSeconds(30) };
        var router = Router(a);
        decimal reserved = await ReservationAsync(router);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // Cancelled once the model has the call (a fixed delay could cancel before it was sent, which is rightly not charged).
        var call = router.GetResponseAsync(Models.Ask("hi"), null, cts.Token);
        while (a.Calls == 0)
        {
            await Task.Delay(10, Ct);
        }

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.Equal(reserved, router.Company().Spent);
        Assert.Equal(0m, router.Company().Reserved);
    }

    [Fact]
    public async Task A_stream_that_fails_before_its_first_update_is_charged_its_reservation()
    {
        var a = new FakeModel("a") { FailOnCall = _ => new TimeoutException() };
        var b = new FakeModel("b") { ReportUsage = false };
        var router = Router(a, b);
        decimal reserved = await ReservationAsync(router);

        await router.GetStreamingResponseAsync(Models.Ask("hi"), null, Ct).ToChatResponseAsync(Ct);

        Assert.Equal(2 * reserved, router.Company().Spent);
    }

    [Fact]
    public async Task Each_retry_is_charged_and_shows_in_the_decision()
    {
        var a = new FakeModel("a") { ReportUsage = false, FailOnCall = call => call <= 2 ? new HttpRequestException("oops", null, HttpStatusCode.InternalServerError) : null };
        var router = Router(a, retries: 2);
        decimal reserved = await ReservationAsync(router);

        var response = await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal(3, a.Calls);
        Assert.Equal(3 * reserved, router.Company().Spent);
        Assert.Contains("2 retried attempt(s)", Models.DecisionOf(response).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_that_does_not_fit_the_budget_is_not_made_and_spend_stays_within_it()
    {
        var a = new FakeModel("a") { FailOnCall = _ => new HttpRequestException("oops", null, HttpStatusCode.InternalServerError) };
        var router = Router(a, retries: 5);
        decimal reserved = await ReservationAsync(router);
        var options = new ChatOptions().WithBudget(router, "p", reserved * 1.5m);

        await Assert.ThrowsAsync<BudgetExhaustedException>(() => router.GetResponseAsync(Models.Ask("hi"), options, Ct));

        var account = router.Project("p");
        Assert.Equal(1, a.Calls);
        Assert.Equal(reserved, account.Spent);
        Assert.True(account.Spent <= account.Limit);
        Assert.Equal(0m, account.Reserved);
    }
}
