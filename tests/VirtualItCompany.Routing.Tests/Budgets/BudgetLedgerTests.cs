namespace VirtualItCompany.Routing.Tests.Budgets;

public sealed class BudgetLedgerTests
{
    [Fact]
    public void A_reservation_past_any_limit_is_refused_and_leaves_nothing_reserved()
    {
        var ledger = new BudgetLedger(globalLimit: 1m);
        var project = ledger.ObserveProject("p", limit: 0.5m, spent: 0m);

        Assert.True(ledger.TryReserve(project, 0.4m, out var first));
        Assert.False(ledger.TryReserve(project, 0.2m, out _));
        Assert.Equal(0.4m, project.Reserved);
        Assert.Equal(0.4m, ledger.Global.Reserved);

        ledger.Settle(first, 0.1m);

        Assert.Equal(0.1m, project.Spent);
        Assert.Equal(0m, project.Reserved);
        Assert.Equal(0.4m, project.Remaining);
    }

    [Fact]
    public void The_global_budget_binds_every_project()
    {
        var ledger = new BudgetLedger(globalLimit: 0.3m);

        Assert.True(ledger.TryReserve(ledger.GetProjectAccount("a"), 0.2m, out _));
        Assert.False(ledger.TryReserve(ledger.GetProjectAccount("b"), 0.2m, out _));
        Assert.Equal(0m, ledger.GetProjectAccount("b").Reserved);
    }

    [Fact]
    public void Release_frees_a_failed_calls_reservation()
    {
        var ledger = new BudgetLedger(1m);
        Assert.True(ledger.TryReserve(null, 0.7m, out var reservation));

        ledger.Release(reservation);

        Assert.Equal(1m, ledger.Global.Remaining);
        Assert.Equal(0m, ledger.Global.Spent);
    }

    [Fact]
    public void Tags_set_the_project_on_first_sight_then_only_raise_it()
    {
        var ledger = new BudgetLedger();
        var account = ledger.ObserveProject("p", limit: 10m, spent: 2m);
        Assert.Equal(10m, account.Limit);
        Assert.Equal(2m, account.Spent);

        ledger.ObserveProject("p", limit: 15m, spent: 1m); // the client added budget; an older spend figure does not lower ours
        Assert.Equal(15m, account.Limit);
        Assert.Equal(2m, account.Spent);

        ledger.ObserveProject("p", limit: 12m, spent: 3m);
        Assert.Equal(15m, account.Limit);
        Assert.Equal(3m, account.Spent);
        Assert.Equal("project:p", account.Scope);
    }

    [Fact]
    public void Negative_budgets_are_refused_with_clear_errors()
    {
        var global = Assert.Throws<ArgumentOutOfRangeException>(() => new BudgetLedger(-1m));
        Assert.Contains("must be zero (free models only) or more", global.Message, StringComparison.Ordinal);
        var project = Assert.Throws<ArgumentOutOfRangeException>(() => new BudgetLedger().ObserveProject("p", -0.01m, 0m));
        Assert.Contains("Project 'p' has a budget of -0.01", project.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BudgetLedger().TryReserve(null, -1m, out _));
    }

    [Fact]
    public void A_zero_budget_admits_only_free_calls()
    {
        var ledger = new BudgetLedger(0m);

        Assert.True(ledger.TryReserve(null, 0m, out _));
        Assert.False(ledger.TryReserve(null, 0.000000001m, out _));
    }
}
