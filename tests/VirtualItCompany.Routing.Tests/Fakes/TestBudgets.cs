using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Tests;

/// <summary>Budgets for tests: a work item's call context with its project's limit set in the router's account, and balances read back.</summary>
internal static class TestBudgets
{
    public static ModelCallContext Context(string projectId = "p", string workItemId = "wi_1", int previousAttempts = 0) =>
        new(new ProjectId(projectId), workItemId, AgentRole.Developer, new LifecycleStage("Development"), previousAttempts);

    /// <summary>Sets the project's limit (and records what it spent) in the router's account and attaches a work item's context to the call.</summary>
    public static ChatOptions WithBudget(this ChatOptions options, CostAwareRoutingChatClient router, string projectId, decimal limit, decimal spent = 0m, string workItemId = "wi_1") =>
        options.WithBudget(router.Budget, projectId, limit, spent, workItemId);

    public static ChatOptions WithBudget(this ChatOptions options, IBudgetAccount account, string projectId, decimal limit, decimal spent = 0m, string workItemId = "wi_1")
    {
        var scope = BudgetScope.ForProject(new ProjectId(projectId));
        Wait(account.SetLimitAsync(scope, limit));
        if (spent > 0m)
        {
            var reservation = Wait(account.TryReserveAsync(new BudgetReservationRequest(new ProjectId(projectId), 0m, "seed"))).Reservation!;
            Wait(account.SettleAsync(reservation, spent));
        }

        return Context(projectId, workItemId).AttachTo(options);
    }

    public static BudgetBalance Company(this CostAwareRoutingChatClient router) => Wait(router.Budget.GetBalanceAsync(BudgetScope.Company));

    public static BudgetBalance Project(this CostAwareRoutingChatClient router, string projectId) => Project(router.Budget, projectId);

    public static BudgetBalance Project(this IBudgetAccount account, string projectId) => Wait(account.GetBalanceAsync(BudgetScope.ForProject(new ProjectId(projectId))));

    public static BudgetBalance Company(this IBudgetAccount account) => Wait(account.GetBalanceAsync(BudgetScope.Company));

    // The in-memory account completes these synchronously.
    private static T Wait<T>(ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();

    private static void Wait(ValueTask task) => task.AsTask().GetAwaiter().GetResult();
}
