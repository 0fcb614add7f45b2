namespace VirtualItCompany;

/// <summary>A budget's figures at one moment.</summary>
/// <param name="Scope">The budget.</param>
/// <param name="Limit">Its limit in US dollars, or <see langword="null"/> when it has none.</param>
/// <param name="Spent">What settled calls cost, in US dollars.</param>
/// <param name="Reserved">What calls in flight have set aside, in US dollars.</param>
public sealed record BudgetBalance(BudgetScope Scope, decimal? Limit, decimal Spent, decimal Reserved)
{
    /// <summary>Gets what may still be reserved (limit less spent and reserved, never below zero), or <see langword="null"/> without a limit.</summary>
    public decimal? Remaining => Limit is { } limit ? Math.Max(0m, limit - Spent - Reserved) : null;
}
