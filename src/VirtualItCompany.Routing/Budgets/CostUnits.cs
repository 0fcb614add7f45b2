namespace VirtualItCompany.Routing;

/// <summary>The router's pricing in money units (<see cref="BudgetUnits"/>): per token, and a call's worst case.</summary>
internal static class CostUnits
{
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

        return cost >= BudgetUnits.Unlimited ? BudgetUnits.Unlimited : (long)Math.Ceiling(cost) + 1;
    }
}
