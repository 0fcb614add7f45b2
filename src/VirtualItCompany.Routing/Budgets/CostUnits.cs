namespace VirtualItCompany.Routing;

/// <summary>Money inside the ledger and router: whole nano-dollars in a <see langword="long"/>, so hot paths use integer atomics, never <see langword="decimal"/>.</summary>
internal static class CostUnits
{
    public const long PerDollar = 1_000_000_000;

    /// <summary>Nothing-is-limited marker; large enough that no sum of real costs reaches it.</summary>
    public const long Unlimited = long.MaxValue / 4;

    /// <summary>Converts dollars to units, rounding up so a reservation is never below the true cost.</summary>
    public static long FromDollarsCeiling(decimal dollars)
    {
        if (dollars <= 0)
        {
            return 0;
        }

        decimal units = decimal.Ceiling(dollars * PerDollar);
        return units >= Unlimited ? Unlimited : (long)units;
    }

    /// <summary>Converts dollars to units, rounding down so a limit never grows; 0 to <see cref="BudgetLimits.MaxAmount"/> only.</summary>
    public static long FromDollarsFloor(decimal dollars) => (long)decimal.Floor(dollars * PerDollar);

    public static decimal ToDollars(long units) => (decimal)units / PerDollar;

    /// <summary>Nano-dollars per token from a price per million tokens.</summary>
    public static double PerToken(decimal pricePerMillion) => (double)pricePerMillion * 1_000d;

    /// <summary>The worst-case cost of a call in units; rounded up with one unit to spare against floating-point error.</summary>
    public static long Estimate(long inputTokens, long outputTokens, double inputPerToken, double outputPerToken)
    {
        double cost = inputTokens * inputPerToken + outputTokens * outputPerToken;
        if (cost <= 0)
        {
            return 0;
        }

        return cost >= Unlimited ? Unlimited : (long)Math.Ceiling(cost) + 1;
    }
}
