using System.Globalization;

namespace VirtualItCompany;

/// <summary>No model that could do the call fits the budget left; the project waits for the client to add budget.</summary>
public sealed class BudgetExhaustedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="scope">The budget that ran out, such as <c>project:prj_...</c> or <c>global</c>.</param>
    /// <param name="needed">The least the call would need, in US dollars (the cheapest qualifying model's worst case).</param>
    /// <param name="remaining">What is left of that budget, in US dollars.</param>
    public BudgetExhaustedException(string scope, decimal needed, decimal remaining)
        : base(string.Create(CultureInfo.InvariantCulture, $"The {scope} budget has ${remaining:0.####} left, but the cheapest model that can do this call may cost up to ${needed:0.####}. Add at least ${Math.Max(0m, needed - remaining):0.####} to the budget to go on."))
    {
        Scope = scope;
        Needed = needed;
        Remaining = remaining;
    }

    /// <summary>Gets the budget that ran out.</summary>
    public string Scope { get; }

    /// <summary>Gets the least the call would need, in US dollars.</summary>
    public decimal Needed { get; }

    /// <summary>Gets what is left of the budget, in US dollars.</summary>
    public decimal Remaining { get; }

    /// <summary>Gets how much must be added for the call to fit, in US dollars.</summary>
    public decimal Shortfall => Math.Max(0m, Needed - Remaining);
}
