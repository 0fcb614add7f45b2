using System.Net;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests.Budgets;

/// <summary>One budget truth: the account is never held by abandoned calls, never refuses a call only in-flight reservations block, never overflows, and every charge it makes is reported.</summary>
public sealed class BudgetTruthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CostAwareRoutingChatClient Router(InMemoryBudgetAccount account, FakeModel a, FakeModel? b = null, RoutingOptions? options = null)
    {
        var models = new List<RoutedModel> { new(Models.Profile(a.ModelId), a) };
        if (b is not null)
        {
            models.Add(new RoutedModel(Models.Profile(b.ModelId), b));
        }

        options ??= Models.OneBand(BandOrder.Preference, [.. models.Select(m => m.Profile.Id)]);
        options.Resilience.MaxRetryAttempts = 0;
        return new CostAwareRoutingChatClient(models, options, account);
    }

    [Fact]
    public async Task A_stream_whose_enumerator_is_never_disposed_is_charged_and_freed_when_its_work_item_is_settled()
    {
        var account = new InMemoryBudgetAccount();
        var router = Router(account, new FakeModel("a"));
        var options = new ChatOptions().WithBudget(account, "p", 1m, workItemId: "wi_abandoned");

        var enumerator = router.GetStreamingResponseAsync(Models.Ask("hi"), options, Ct).GetAsyncEnumerator(Ct);
        Assert.True(await enumerator.MoveNextAsync());
        decimal held = account.Project("p").Reserved;
        Assert.True(held > 0m);

        var settled = await account.SettleOwnerAsync("wi_abandoned", Ct);

        var reservation = Assert.Single(settled);
        Assert.Equal(held, reservation.Amount);
        Assert.Equal("a", reservation.ModelId);
        Assert.Equal(new BudgetBalance(BudgetScope.ForProject(new ProjectId("p")), 1m, held, 0m), account.Project("p"));
        Assert.Equal(0m, account.Company().Reserved);
        GC.KeepAlive(enumerator);
    }

    [Fact]
    public async Task Two_calls_whose_worst_cases_exceed_the_budget_but_whose_real_costs_fit_both_succeed_the_second_waiting()
    {
        var account = new InMemoryBudgetAccount();
        var model = new FakeModel("a") { Delay = TimeSpan.FromMilliseconds(300) };
        var router = Router(account, model);
        decimal worst = (await router.PreviewAsync(Models.Ask("hi"), cancellationToken: Ct)).EstimatedCost;
        var first = new ChatOptions().WithBudget(account, "p", worst * 1.5m, workItemId: "wi_1");
        var second = TestBudgets.Context("p", "wi_2").AttachTo(new ChatOptions());

        var firstCall = router.GetResponseAsync(Models.Ask("hi"), first, Ct);
        while (model.Calls == 0)
        {
            await Task.Delay(5, Ct);
        }

        var secondCall = router.GetResponseAsync(Models.Ask("hi"), second, Ct);
        var responses = await Task.WhenAll(firstCall, secondCall);

        Assert.All(responses, r => Assert.Equal("a", Models.DecisionOf(r).ChosenModelId));
        Assert.Equal(2, model.Calls);
        var project = account.Project("p");
        Assert.True(project.Spent < worst);
        Assert.Equal(0m, project.Reserved);
    }

    [Fact]
    public async Task Without_a_wait_the_same_second_call_is_refused()
    {
        var account = new InMemoryBudgetAccount();
        var model = new FakeModel("a") { Delay = TimeSpan.FromMilliseconds(300) };
        var options = Models.OneBand(BandOrder.Preference, "a");
        options.InFlightReservationWait = TimeSpan.Zero;
        var router = Router(account, model, options: options);
        decimal worst = (await router.PreviewAsync(Models.Ask("hi"), cancellationToken: Ct)).EstimatedCost;
        var first = new ChatOptions().WithBudget(account, "p", worst * 1.5m, workItemId: "wi_1");

        var firstCall = router.GetResponseAsync(Models.Ask("hi"), first, Ct);
        while (model.Calls == 0)
        {
            await Task.Delay(5, Ct);
        }

        var error = await Assert.ThrowsAsync<BudgetExhaustedException>(() => router.GetResponseAsync(Models.Ask("hi"), TestBudgets.Context("p", "wi_2").AttachTo(new ChatOptions()), Ct));
        await firstCall;

        Assert.Equal("project:p", error.Scope);
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("100000000000000000000")]
    public async Task Huge_budgets_are_refused_with_ArgumentOutOfRangeException_never_an_overflow(string text)
    {
        decimal huge = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var account = new InMemoryBudgetAccount();

        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryBudgetAccount(huge));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await account.SetLimitAsync(BudgetScope.Company, huge, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await account.RaiseLimitAsync(BudgetScope.ForProject(new ProjectId("p")), huge, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await account.TryReserveAsync(new(null, huge, "o"), Ct));
        var error = Assert.Throws<RoutingConfigurationException>(() => Router(account, new FakeModel("a"), options: new RoutingOptions { GlobalBudget = huge, Policy = Models.OneBand(BandOrder.Preference, "a").Policy }));
        Assert.Contains("BudgetLimits.MaxAmount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_failing_after_it_was_sent_is_reported_as_a_failed_charge_equal_to_what_the_account_charged()
    {
        var account = new InMemoryBudgetAccount();
        var a = new FakeModel("a") { FailOnCall = _ => new HttpRequestException("bad gateway", null, HttpStatusCode.BadGateway) };
        var router = Router(account, a, new FakeModel("b"));
        var options = new ChatOptions().WithBudget(account, "p", 1m);
        var context = ModelCallContext.From(options)!;

        var decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("hi"), options, Ct));

        var charges = context.TakeCharges();
        Assert.Collection(
            charges,
            failed =>
            {
                Assert.Equal(ModelChargeKind.Failed, failed.Kind);
                Assert.Equal("a-model", failed.ModelId);
                Assert.Equal("test", failed.Provider);
                Assert.Equal(decision.EstimatedCost, failed.Cost);
                Assert.Equal("a", failed.Routing!.ChosenModelId);
            },
            completed =>
            {
                Assert.Equal(ModelChargeKind.Completed, completed.Kind);
                Assert.Equal("b", completed.ModelId); // what the provider reported
                Assert.True(completed.InputTokens > 0 && completed.OutputTokens > 0);
                Assert.Same(decision, completed.Routing);
            });
        Assert.Equal(account.Project("p").Spent, charges.Sum(c => c.Cost));
        Assert.Equal(account.Company().Spent, charges.Sum(c => c.Cost));
        Assert.Equal(decision.ActualCost, charges.Sum(c => c.Cost));
    }

    [Fact]
    public async Task A_broken_stream_is_reported_as_an_abandoned_charge_equal_to_what_the_account_charged()
    {
        var account = new InMemoryBudgetAccount();
        var router = Router(account, new FakeModel("a") { BreakStreamAfter = 1 });
        var options = new ChatOptions().WithBudget(account, "p", 1m);
        var context = ModelCallContext.From(options)!;

        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in router.GetStreamingResponseAsync(Models.Ask("hi"), options, Ct))
            {
            }
        });

        var charge = Assert.Single(context.TakeCharges());
        Assert.Equal(ModelChargeKind.Abandoned, charge.Kind);
        Assert.True(charge.Cost > 0m);
        Assert.Equal(account.Project("p").Spent, charge.Cost);
        Assert.Equal(charge.Cost, charge.Routing!.ActualCost);
        Assert.Equal(0m, account.Project("p").Reserved);
    }

    [Fact]
    public async Task A_stream_disposed_part_way_is_reported_as_an_abandoned_charge()
    {
        var account = new InMemoryBudgetAccount();
        var router = Router(account, new FakeModel("a"));
        var options = new ChatOptions().WithBudget(account, "p", 1m);
        var context = ModelCallContext.From(options)!;

        await foreach (var _ in router.GetStreamingResponseAsync(Models.Ask("hi"), options, Ct))
        {
            break;
        }

        var charge = Assert.Single(context.TakeCharges());
        Assert.Equal(ModelChargeKind.Abandoned, charge.Kind);
        Assert.Equal(account.Project("p").Spent, charge.Cost);
    }

    [Fact]
    public async Task A_call_without_a_context_is_charged_to_the_company_only()
    {
        var account = new InMemoryBudgetAccount(companyLimit: 1m);
        var router = Router(account, new FakeModel("a"));
        await account.SetLimitAsync(BudgetScope.ForProject(new ProjectId("p")), 0m, Ct);

        var decision = Models.DecisionOf(await router.GetResponseAsync(Models.Ask("hi"), null, Ct));

        Assert.Equal(decision.ActualCost, account.Company().Spent);
        Assert.Equal(0m, account.Project("p").Spent);
    }
}
