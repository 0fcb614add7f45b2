namespace VirtualItCompany.Routing;

/// <summary>Whom a call is charged to and what its budgets held when it began (read once per call).</summary>
/// <param name="Context">The work item's context, or <see langword="null"/> for a call made outside the runtime (charged to the company only).</param>
/// <param name="ProjectId">The project charged besides the company, or <see langword="null"/>.</param>
/// <param name="Owner">Who owns the call's reservations: the work item, or a per-call id.</param>
/// <param name="CompanyRoomUnits">What the company's limit leaves after settled spend, in units (<see cref="BudgetUnits.Unlimited"/> without a limit).</param>
/// <param name="ProjectRoomUnits">The same for the project.</param>
/// <param name="CompanyRemaining">What the company's budget had left after spend and reservations, in US dollars (0 without a limit: only read when short).</param>
/// <param name="ProjectRemaining">The same for the project.</param>
internal sealed record CallBudget(ModelCallContext? Context, ProjectId? ProjectId, string Owner, long CompanyRoomUnits, long ProjectRoomUnits, decimal CompanyRemaining, decimal ProjectRemaining)
{
    /// <summary>What settled spend leaves for the call across its budgets, in units: candidates costing more are over budget.</summary>
    public long RoomUnits => Math.Min(CompanyRoomUnits, ProjectRoomUnits);

    /// <summary>What a budget's limit leaves after settled spend, in units.</summary>
    public static long RoomOf(BudgetBalance? balance) =>
        balance?.Limit is { } limit ? Math.Max(0, BudgetUnits.FromDollarsFloor(Math.Min(limit, BudgetLimits.MaxAmount)) - BudgetUnits.FromDollarsCeiling(Math.Min(balance.Spent, BudgetLimits.MaxAmount))) : BudgetUnits.Unlimited;
}
