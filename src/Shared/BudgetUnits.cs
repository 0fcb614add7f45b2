// One source for the budget's money units, compiled into each package that keeps money as integers (linked by
// VirtualItCompany.Routing and VirtualItCompany.Storage.Sqlite), so the in-memory and the SQLite account round alike.
namespace VirtualItCompany;

/// <summary>Money in a budget account: whole nano-dollars in a 64-bit integer, so hot paths use integer atomics, never <see langword="decimal"/>, and every account rounds alike.</summary>
internal static class BudgetUnits
{
    public const long PerDollar = 1_000_000_000;

    /// <summary>The limit of a budget without one; large enough that no sum of real costs reaches it.</summary>
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

    /// <summary>Adds without passing <see cref="Unlimited"/>, so spend above reservations can never overflow.</summary>
    public static long AddSaturating(long value, long delta) =>
        delta > 0 && value > Unlimited - delta ? Unlimited : value + delta;
}
