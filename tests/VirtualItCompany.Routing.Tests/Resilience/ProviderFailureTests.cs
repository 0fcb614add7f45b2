using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Resilience;

/// <summary>
/// The router acts on a provider adapter's <see cref="ModelProviderException"/> the same way whatever the provider:
/// transient kinds are retried (after the provider's Retry-After), the others fall back at once, and only the kinds that
/// are certainly not billed are released; the rest are charged at their reservation.
/// </summary>
public sealed class ProviderFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CostAwareRoutingChatClient Router(FakeModel a, FakeModel b, int retries)
    {
        var options = Models.OneBand(BandOrder.Preference, a.ModelId, b.ModelId);
        options.Resilience.MaxRetryAttempts = retries;
        options.Resilience.RetryDelay = TimeSpan.Zero;
        return new CostAwareRoutingChatClient([new RoutedModel(Models.Profile(a.ModelId), a), new RoutedModel(Models.Profile(b.ModelId), b)], options);
    }

    private static ModelProviderException Failure(ModelFailureKind kind, TimeSpan? retryAfter = null) =>
        new(kind, "acme", "a", $"acme model 'a' failed: {kind}.", retryAfter: retryAfter, statusCode: 500);

    [Theory]
    [InlineData(ModelFailureKind.RateLimited)]
    [InlineData(ModelFailureKind.Overloaded)]
    [InlineData(ModelFailureKind.ServerError)]
    [InlineData(ModelFailureKind.Unreachable)]
    [InlineData(ModelFailureKind.Timeout)]
    [InlineData(ModelFailureKind.InvalidResponse)]
    public async Task A_transient_failure_is_retried_on_the_same_model(ModelFailureKind kind)
    {
        var a = new FakeModel("a") { FailOnCall = call => call == 1 ? Failure(kind, kind == ModelFailureKind.RateLimited ? TimeSpan.FromMilliseconds(10) : null) : null };
        var b = new FakeModel("b");
        var router = Router(a, b, retries: 2);

        var response = await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal("a", Models.DecisionOf(response).ChosenModelId);
        Assert.Equal(2, a.Calls);
        Assert.Equal(0, b.Calls);
    }

    [Theory]
    [InlineData(ModelFailureKind.Unauthorized)]
    [InlineData(ModelFailureKind.ModelNotFound)]
    [InlineData(ModelFailureKind.ContextTooLong)]
    [InlineData(ModelFailureKind.ContentRefused)]
    [InlineData(ModelFailureKind.InvalidRequest)]
    [InlineData(ModelFailureKind.Unknown)]
    public async Task A_failure_retrying_cannot_fix_falls_back_at_once(ModelFailureKind kind)
    {
        var a = new FakeModel("a") { FailOnCall = _ => Failure(kind) };
        var b = new FakeModel("b");
        var router = Router(a, b, retries: 2);

        var response = await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        var decision = Models.DecisionOf(response);
        Assert.Equal("b", decision.ChosenModelId);
        Assert.Equal(["a"], decision.FailedOver);
        Assert.Equal(1, a.Calls);
    }

    [Fact]
    public async Task A_rate_limit_asking_to_wait_too_long_falls_back_without_waiting()
    {
        var a = new FakeModel("a") { FailOnCall = _ => Failure(ModelFailureKind.RateLimited, TimeSpan.FromMinutes(10)) };
        var b = new FakeModel("b");
        var router = Router(a, b, retries: 2);

        var response = await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal("b", Models.DecisionOf(response).ChosenModelId);
        Assert.Equal(1, a.Calls);
    }

    [Theory]
    [InlineData(ModelFailureKind.RateLimited, false)]
    [InlineData(ModelFailureKind.Overloaded, false)]
    [InlineData(ModelFailureKind.Unauthorized, false)]
    [InlineData(ModelFailureKind.ModelNotFound, false)]
    [InlineData(ModelFailureKind.ContextTooLong, false)]
    [InlineData(ModelFailureKind.Unreachable, false)]
    [InlineData(ModelFailureKind.ServerError, true)]
    [InlineData(ModelFailureKind.InvalidResponse, true)]
    [InlineData(ModelFailureKind.ContentRefused, true)]
    [InlineData(ModelFailureKind.Timeout, true)]
    public async Task Only_a_failure_that_may_have_been_billed_is_charged(ModelFailureKind kind, bool charged)
    {
        var a = new FakeModel("a") { FailOnCall = _ => Failure(kind) };
        var b = new FakeModel("b") { ReportUsage = false };
        var router = Router(a, b, retries: 0);
        decimal reserved = (await router.PreviewAsync(Models.Ask("hi"), null, Ct)).EstimatedCost;

        var response = await router.GetResponseAsync(Models.Ask("hi"), null, Ct);

        Assert.Equal("b", Models.DecisionOf(response).ChosenModelId);
        Assert.Equal(charged ? 2 * reserved : reserved, router.Company().Spent);
        Assert.Equal(0m, router.Company().Reserved);
    }

    [Fact]
    public void The_billing_of_a_failure_can_be_stated_against_its_kind()
    {
        var refusedBeforeWork = new ModelProviderException(ModelFailureKind.ContentRefused, "acme", "a", "refused by policy", certainlyNotBilled: true);

        Assert.True(refusedBeforeWork.CertainlyNotBilled);
        Assert.False(new ModelProviderException(ModelFailureKind.ContentRefused, "acme", "a", "refused").CertainlyNotBilled);
        Assert.Equal(TimeSpan.FromSeconds(7), ModelProviderException.ParseRetryAfter("7", DateTimeOffset.UnixEpoch));
        Assert.Equal(TimeSpan.FromSeconds(90), ModelProviderException.ParseRetryAfter("Thu, 01 Jan 1970 00:01:30 GMT", DateTimeOffset.UnixEpoch));
        Assert.Null(ModelProviderException.ParseRetryAfter("soon", DateTimeOffset.UnixEpoch));
    }
}
