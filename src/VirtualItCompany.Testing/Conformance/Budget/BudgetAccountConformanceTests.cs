using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace VirtualItCompany.Testing.Conformance;

/// <summary>
/// The specification every <see cref="IBudgetAccount"/> must meet: subclass it in the account's test project and
/// implement <see cref="CreateAccountAsync"/>. Each test gets a new, empty account.
/// </summary>
[ConformanceSuite(ConformanceSuiteAttribute.Budget)]
public abstract class BudgetAccountConformanceTests
{
    private static readonly ProjectId Project = new("prj_conformance");
    private static readonly BudgetScope ProjectScope = BudgetScope.ForProject(Project);

    /// <summary>Gets the test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a new, empty account (no limits, nothing spent) whose waits are timed by <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock the account must use for <see cref="BudgetReservationRequest.MaxWait"/>.</param>
    /// <returns>The account.</returns>
    protected abstract ValueTask<IBudgetAccount> CreateAccountAsync(FakeTimeProvider timeProvider);

    /// <summary>A reservation that fits is granted; one past the limit is refused by that budget.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Grants_within_the_limit_and_refuses_past_it()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(BudgetScope.Company, 1m, Ct);

        var granted = await account.TryReserveAsync(new(null, 0.6m, "a"), Ct);
        var refused = await account.TryReserveAsync(new(null, 0.5m, "b"), Ct);
        var fits = await account.TryReserveAsync(new(null, 0.4m, "c"), Ct);

        Assert.True(granted.IsGranted);
        Assert.Equal(0.6m, granted.Reservation!.Amount);
        Assert.False(refused.IsGranted);
        Assert.Equal(BudgetScope.Company, refused.RefusedBy);
        Assert.Equal(0.4m, refused.Remaining);
        Assert.True(fits.IsGranted);
        var balance = await account.GetBalanceAsync(BudgetScope.Company, Ct);
        Assert.Equal(1m, balance.Reserved);
        Assert.Equal(0m, balance.Remaining);
    }

    /// <summary>Several balances read at once are, in the order asked, what each read alone gives: a budget never used among them, a scope asked twice.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Reads_several_balances_at_once_as_each_alone()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(BudgetScope.Company, 10m, Ct);
        await account.SetLimitAsync(ProjectScope, 5m, Ct);
        var reservation = (await account.TryReserveAsync(new(Project, 2m, "a"), Ct)).Reservation!;
        await account.SettleAsync(reservation, 0.75m, Ct);
        Assert.True((await account.TryReserveAsync(new(Project, 0.5m, "b"), Ct)).IsGranted);
        Assert.True((await account.TryReserveAsync(new(null, 0.25m, "c"), Ct)).IsGranted);
        var unused = BudgetScope.ForProject(ProjectId.New());
        BudgetScope[] scopes = [ProjectScope, BudgetScope.Company, unused, ProjectScope];

        var balances = await account.GetBalancesAsync(scopes, Ct);

        Assert.Equal(
            [
                new BudgetBalance(ProjectScope, 5m, 0.75m, 0.5m),
                new BudgetBalance(BudgetScope.Company, 10m, 0.75m, 0.75m),
                new BudgetBalance(unused, null, 0m, 0m),
                new BudgetBalance(ProjectScope, 5m, 0.75m, 0.5m),
            ],
            balances);
        foreach (var scope in scopes)
        {
            Assert.Equal(await account.GetBalanceAsync(scope, Ct), balances[Array.IndexOf(scopes, scope)]);
        }

        Assert.Empty(await account.GetBalancesAsync([], Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await account.GetBalancesAsync(null!, Ct));
    }

    /// <summary>A reservation the company refuses leaves the project uncharged, and the reverse.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Reserves_in_the_project_and_the_company_or_in_neither()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(BudgetScope.Company, 1m, Ct);
        await account.SetLimitAsync(ProjectScope, 5m, Ct);

        var companyRefused = await account.TryReserveAsync(new(Project, 2m, "a"), Ct);
        await account.SetLimitAsync(ProjectScope, 0.5m, Ct);
        var projectRefused = await account.TryReserveAsync(new(Project, 0.8m, "a"), Ct);

        Assert.Equal(BudgetScope.Company, companyRefused.RefusedBy);
        Assert.Equal(ProjectScope, projectRefused.RefusedBy);
        Assert.Equal(0m, (await account.GetBalanceAsync(ProjectScope, Ct)).Reserved);
        Assert.Equal(0m, (await account.GetBalanceAsync(BudgetScope.Company, Ct)).Reserved);
    }

    /// <summary>A granted project reservation counts in the project and the company.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_project_reservation_counts_in_the_project_and_the_company()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(ProjectScope, 2m, Ct);

        var result = await account.TryReserveAsync(new(Project, 0.25m, "a"), Ct);

        Assert.Equal(Project, result.Reservation!.ProjectId);
        Assert.Equal(0.25m, (await account.GetBalanceAsync(ProjectScope, Ct)).Reserved);
        Assert.Equal(0.25m, (await account.GetBalanceAsync(BudgetScope.Company, Ct)).Reserved);
    }

    /// <summary>Settling charges what the call cost and frees the rest of the reservation.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Settle_charges_the_actual_cost_and_frees_the_rest()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(ProjectScope, 1m, Ct);
        var reservation = (await account.TryReserveAsync(new(Project, 0.8m, "a"), Ct)).Reservation!;

        Assert.True(await account.SettleAsync(reservation, 0.3m, Ct));

        var project = await account.GetBalanceAsync(ProjectScope, Ct);
        Assert.Equal(0.3m, project.Spent);
        Assert.Equal(0m, project.Reserved);
        Assert.Equal(0.7m, project.Remaining);
        Assert.Equal(0.3m, (await account.GetBalanceAsync(BudgetScope.Company, Ct)).Spent);
    }

    /// <summary>A call that cost more than it reserved is charged what it cost: it was spent.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Settle_charges_more_than_the_reservation_when_the_call_cost_more()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(BudgetScope.Company, 1m, Ct);
        var reservation = (await account.TryReserveAsync(new(null, 0.5m, "a"), Ct)).Reservation!;

        Assert.True(await account.SettleAsync(reservation, 0.75m, Ct));

        var balance = await account.GetBalanceAsync(BudgetScope.Company, Ct);
        Assert.Equal(0.75m, balance.Spent);
        Assert.Equal(0m, balance.Reserved);
    }

    /// <summary>A reservation is settled or released once; a second settlement or release changes nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Settle_or_release_of_a_reservation_already_settled_is_ignored()
    {
        var account = await CreateAsync();
        var settled = (await account.TryReserveAsync(new(Project, 0.5m, "a"), Ct)).Reservation!;
        var released = (await account.TryReserveAsync(new(Project, 0.5m, "a"), Ct)).Reservation!;
        Assert.NotEqual(settled.Id, released.Id);

        Assert.True(await account.SettleAsync(settled, 0.2m, Ct));
        Assert.False(await account.SettleAsync(settled, 0.4m, Ct));
        Assert.False(await account.ReleaseAsync(settled, Ct));
        Assert.True(await account.ReleaseAsync(released, Ct));
        Assert.False(await account.ReleaseAsync(released, Ct));
        Assert.False(await account.SettleAsync(released, 0.5m, Ct));

        var balance = await account.GetBalanceAsync(ProjectScope, Ct);
        Assert.Equal(0.2m, balance.Spent);
        Assert.Equal(0m, balance.Reserved);
    }

    /// <summary>Releasing frees the reservation and charges nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Release_frees_the_reservation()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(BudgetScope.Company, 1m, Ct);
        var reservation = (await account.TryReserveAsync(new(null, 1m, "a"), Ct)).Reservation!;

        Assert.True(await account.ReleaseAsync(reservation, Ct));

        var balance = await account.GetBalanceAsync(BudgetScope.Company, Ct);
        Assert.Equal(0m, balance.Spent);
        Assert.Equal(0m, balance.Reserved);
        Assert.True((await account.TryReserveAsync(new(null, 1m, "b"), Ct)).IsGranted);
    }

    /// <summary>Settling an owner charges every reservation it left open at its full amount, returns them, and leaves other owners' alone.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task SettleOwner_charges_the_reservations_left_open_in_full_and_returns_them()
    {
        var account = await CreateAsync();
        var open1 = (await account.TryReserveAsync(new(Project, 0.25m, "item-1") { ModelId = "m1" }, Ct)).Reservation!;
        var open2 = (await account.TryReserveAsync(new(Project, 0.5m, "item-1"), Ct)).Reservation!;
        var closed = (await account.TryReserveAsync(new(Project, 0.125m, "item-1"), Ct)).Reservation!;
        var other = (await account.TryReserveAsync(new(Project, 1m, "item-2"), Ct)).Reservation!;
        await account.SettleAsync(closed, 0.0625m, Ct);

        var settled = await account.SettleOwnerAsync("item-1", Ct);

        Assert.Equal(new[] { open1.Id, open2.Id }.Order(StringComparer.Ordinal), settled.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal("m1", settled.Single(r => r.Id == open1.Id).ModelId);
        var balance = await account.GetBalanceAsync(ProjectScope, Ct);
        Assert.Equal(0.8125m, balance.Spent);
        Assert.Equal(1m, balance.Reserved);
        Assert.Empty(await account.SettleOwnerAsync("item-1", Ct));
        Assert.False(await account.SettleAsync(open1, 0m, Ct));
        Assert.True(await account.ReleaseAsync(other, Ct));
    }

    /// <summary>RaiseLimit never lowers a limit and gives one to a budget without; SetLimit may lower it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task RaiseLimit_never_lowers_and_SetLimit_may()
    {
        var account = await CreateAsync();

        await account.RaiseLimitAsync(ProjectScope, 5m, Ct);
        Assert.Equal(5m, (await account.GetBalanceAsync(ProjectScope, Ct)).Limit);
        await account.RaiseLimitAsync(ProjectScope, 3m, Ct);
        Assert.Equal(5m, (await account.GetBalanceAsync(ProjectScope, Ct)).Limit);
        await account.RaiseLimitAsync(ProjectScope, 8m, Ct);
        Assert.Equal(8m, (await account.GetBalanceAsync(ProjectScope, Ct)).Limit);
        await account.SetLimitAsync(ProjectScope, 2m, Ct);
        Assert.Equal(2m, (await account.GetBalanceAsync(ProjectScope, Ct)).Limit);
        await account.SetLimitAsync(ProjectScope, null, Ct);
        Assert.Null((await account.GetBalanceAsync(ProjectScope, Ct)).Limit);
    }

    /// <summary>A budget without a limit accepts any reservation; a scope never used has no limit and nothing spent.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_budget_without_a_limit_is_unlimited()
    {
        var account = await CreateAsync();

        var unused = await account.GetBalanceAsync(ProjectScope, Ct);
        var first = await account.TryReserveAsync(new(Project, BudgetLimits.MaxAmount, "a"), Ct);
        var second = await account.TryReserveAsync(new(Project, BudgetLimits.MaxAmount, "a"), Ct);

        Assert.Equal(new BudgetBalance(ProjectScope, null, 0m, 0m), unused);
        Assert.Null(unused.Remaining);
        Assert.True(first.IsGranted);
        Assert.True(second.IsGranted);
    }

    /// <summary>A zero limit refuses anything but free calls.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_zero_limit_grants_only_free_calls()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(BudgetScope.Company, 0m, Ct);

        Assert.True((await account.TryReserveAsync(new(null, 0m, "a"), Ct)).IsGranted);
        Assert.False((await account.TryReserveAsync(new(null, 0.000001m, "a"), Ct)).IsGranted);
    }

    /// <summary>Amounts below zero or above <see cref="BudgetLimits.MaxAmount"/> are refused with <see cref="ArgumentOutOfRangeException"/>, never an overflow.</summary>
    /// <param name="amount">The amount, as text (attributes cannot hold decimals).</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData("-1")]
    [InlineData("-0.0000001")]
    [InlineData("1000000000.01")]
    [InlineData("100000000000000000000")]
    [InlineData("79228162514264337593543950335")]
    public async Task Out_of_range_amounts_throw_ArgumentOutOfRangeException(string amount)
    {
        decimal value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        var account = await CreateAsync();
        var reservation = (await account.TryReserveAsync(new(Project, 1m, "a"), Ct)).Reservation!;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await account.TryReserveAsync(new(Project, value, "a"), Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await account.SettleAsync(reservation, value, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await account.SetLimitAsync(ProjectScope, value, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await account.RaiseLimitAsync(BudgetScope.Company, value, Ct));
        Assert.True(await account.SettleAsync(reservation, 1m, Ct));
    }

    /// <summary>The largest amount is accepted as a limit and a reservation.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task The_largest_amount_is_accepted()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(BudgetScope.Company, BudgetLimits.MaxAmount, Ct);

        var result = await account.TryReserveAsync(new(null, BudgetLimits.MaxAmount, "a"), Ct);

        Assert.True(result.IsGranted);
        Assert.True(await account.SettleAsync(result.Reservation!, BudgetLimits.MaxAmount, Ct));
        Assert.Equal(BudgetLimits.MaxAmount, (await account.GetBalanceAsync(BudgetScope.Company, Ct)).Spent);
    }

    /// <summary>Many callers reserving at once never take a budget past its limit.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Many_concurrent_reservers_never_take_a_budget_past_its_limit()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(BudgetScope.Company, 10m, Ct);
        await account.SetLimitAsync(ProjectScope, 6m, Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(
            async () => await account.TryReserveAsync(new(i % 2 == 0 ? Project : null, 0.5m, $"owner-{i}"), Ct),
            Ct)));

        var granted = results.Where(r => r.IsGranted).Select(r => r.Reservation!).ToList();
        Assert.Equal(20, granted.Count);
        Assert.True(granted.Where(r => r.ProjectId is not null).Sum(r => r.Amount) <= 6m);
        Assert.Equal(10m, (await account.GetBalanceAsync(BudgetScope.Company, Ct)).Reserved);
        Assert.All(results.Where(r => !r.IsGranted), r => Assert.NotNull(r.RefusedBy));
    }

    /// <summary>A reservation blocked only by another call's reservation waits for it, and is granted when it settles low.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_reservation_blocked_only_by_another_in_flight_is_granted_once_that_one_settles_low()
    {
        var time = new FakeTimeProvider();
        var account = await CreateAccountAsync(time);
        await account.SetLimitAsync(ProjectScope, 1m, Ct);
        var first = (await account.TryReserveAsync(new(Project, 0.8m, "a"), Ct)).Reservation!;

        var waiting = account.TryReserveAsync(new(Project, 0.5m, "b") { MaxWait = TimeSpan.FromSeconds(30) }, Ct).AsTask();
        await Task.Delay(50, Ct);
        Assert.False(waiting.IsCompleted);
        await account.SettleAsync(first, 0.1m, Ct);
        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.True(result.IsGranted);
        var balance = await account.GetBalanceAsync(ProjectScope, Ct);
        Assert.Equal(0.1m, balance.Spent);
        Assert.Equal(0.5m, balance.Reserved);
    }

    /// <summary>A reservation waits at most its MaxWait for in-flight reservations, then is refused.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_reservation_blocked_by_in_flight_reservations_is_refused_after_MaxWait()
    {
        var time = new FakeTimeProvider();
        var account = await CreateAccountAsync(time);
        await account.SetLimitAsync(BudgetScope.Company, 1m, Ct);
        var first = (await account.TryReserveAsync(new(null, 0.8m, "a"), Ct)).Reservation!;

        var waiting = account.TryReserveAsync(new(null, 0.5m, "b") { MaxWait = TimeSpan.FromSeconds(5) }, Ct).AsTask();
        for (int i = 0; i < 100 && !waiting.IsCompleted; i++)
        {
            await Task.Delay(10, Ct);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(result.IsGranted);
        Assert.Equal(BudgetScope.Company, result.RefusedBy);
        Assert.Equal(0.8m, result.InFlight);
        Assert.True(await account.ReleaseAsync(first, Ct));
    }

    /// <summary>When settled spend leaves no room, a reservation is refused at once, whatever its MaxWait.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task A_reservation_is_refused_without_waiting_when_settled_spend_leaves_no_room()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(ProjectScope, 1m, Ct);
        var spent = (await account.TryReserveAsync(new(Project, 0.7m, "a"), Ct)).Reservation!;
        await account.SettleAsync(spent, 0.7m, Ct);

        var result = await account.TryReserveAsync(new(Project, 0.5m, "b") { MaxWait = TimeSpan.FromHours(1) }, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.False(result.IsGranted);
        Assert.Equal(ProjectScope, result.RefusedBy);
        Assert.Equal(0.3m, result.Remaining);
    }

    /// <summary>Cancelling a reservation while it waits ends the wait with <see cref="OperationCanceledException"/> and reserves nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Cancelling_a_waiting_reservation_reserves_nothing()
    {
        var account = await CreateAsync();
        await account.SetLimitAsync(BudgetScope.Company, 1m, Ct);
        var first = (await account.TryReserveAsync(new(null, 0.8m, "a"), Ct)).Reservation!;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var waiting = account.TryReserveAsync(new(null, 0.5m, "b") { MaxWait = TimeSpan.MaxValue }, cancellation.Token).AsTask();
        await Task.Delay(50, Ct);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        await account.ReleaseAsync(first, Ct);
        var balance = await account.GetBalanceAsync(BudgetScope.Company, Ct);
        Assert.Equal(0m, balance.Reserved);
        Assert.Empty(await account.SettleOwnerAsync("b", Ct));
    }

    private ValueTask<IBudgetAccount> CreateAsync() => CreateAccountAsync(new FakeTimeProvider());
}
