namespace VirtualItCompany;

/// <summary>The bounds every budget figure is checked against, so that sums of amounts cannot overflow.</summary>
public static class BudgetLimits
{
    /// <summary>The largest budget, budget increase or reservation accepted: one billion US dollars.</summary>
    public const decimal MaxAmount = 1_000_000_000m;

    /// <summary>Throws when an amount is negative or above <see cref="MaxAmount"/>.</summary>
    /// <param name="amount">The amount, in US dollars.</param>
    /// <param name="paramName">The parameter's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative or above <see cref="MaxAmount"/>.</exception>
    public static void ThrowIfOutOfRange(decimal amount, string paramName)
    {
        if (amount < 0 || amount > MaxAmount)
        {
            throw new ArgumentOutOfRangeException(paramName, amount, $"{paramName} is ${amount}; a budget amount must be between $0 and ${MaxAmount:0} (BudgetLimits.MaxAmount).");
        }
    }
}
