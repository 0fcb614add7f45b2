namespace VirtualItCompany.Routing;

/// <summary>One budget in a <see cref="BudgetLedger"/>: a project's (<c>project:&lt;id&gt;</c>) or the <c>global</c> one. Safe under concurrency, lock-free.</summary>
public sealed class BudgetAccount
{
    private long _limit = CostUnits.Unlimited;
    private long _committed; // spent + reserved: the figure checked against the limit
    private long _spent;
    private int _observed;

    internal BudgetAccount(string scope) => Scope = scope;

    /// <summary>Gets the scope name, such as <c>project:prj_1</c> or <c>global</c>.</summary>
    public string Scope { get; }

    /// <summary>Gets the limit in US dollars, or <see langword="null"/> when the account has none.</summary>
    public decimal? Limit => Volatile.Read(ref _limit) is var limit && limit >= CostUnits.Unlimited ? null : CostUnits.ToDollars(limit);

    /// <summary>Gets what was spent (settled), in US dollars.</summary>
    public decimal Spent => CostUnits.ToDollars(Volatile.Read(ref _spent));

    /// <summary>Gets what is reserved by calls in flight, in US dollars.</summary>
    public decimal Reserved => CostUnits.ToDollars(Math.Max(0, Volatile.Read(ref _committed) - Volatile.Read(ref _spent)));

    /// <summary>Gets what may still be reserved, in US dollars, or <see langword="null"/> when the account has no limit.</summary>
    public decimal? Remaining => Limit is null ? null : CostUnits.ToDollars(RemainingUnits);

    internal long LimitUnits => Volatile.Read(ref _limit);

    internal long SpentUnits => Volatile.Read(ref _spent);

    internal long RemainingUnits => Math.Max(0, Volatile.Read(ref _limit) - Volatile.Read(ref _committed));

    /// <summary>Sets the limit (it may be lowered; calls already reserved are not undone).</summary>
    /// <param name="limit">The limit in US dollars, zero (free models only) or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public void SetLimit(decimal limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Volatile.Write(ref _limit, LimitUnitsOf(limit));
    }

    /// <summary>Raises the limit to <paramref name="limit"/> when that is higher (the client added budget); never lowers it.</summary>
    /// <param name="limit">The limit in US dollars.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public void RaiseLimitTo(decimal limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        long units = LimitUnitsOf(limit);
        long current = Volatile.Read(ref _limit);
        while (units > current || current >= CostUnits.Unlimited)
        {
            long seen = Interlocked.CompareExchange(ref _limit, units, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Raises what was spent to at least <paramref name="spent"/> (spending recorded elsewhere, such as the project's events); never lowers it.</summary>
    /// <param name="spent">What was spent at least, in US dollars.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="spent"/> is negative.</exception>
    public void RecordSpentAtLeast(decimal spent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spent);
        long units = CostUnits.FromDollarsCeiling(spent);
        long current = Volatile.Read(ref _spent);
        while (units > current)
        {
            long seen = Interlocked.CompareExchange(ref _spent, units, current);
            if (seen == current)
            {
                Interlocked.Add(ref _committed, units - current);
                return;
            }

            current = seen;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Scope}: spent {Spent}, reserved {Reserved}, limit {(Limit is { } l ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}";

    /// <summary>Applies a call's budget tags: the first sight sets limit and spent; later ones raise them.</summary>
    internal void Observe(decimal limit, decimal spent)
    {
        if (Volatile.Read(ref _observed) == 0 && Interlocked.Exchange(ref _observed, 1) == 0)
        {
            SetLimit(limit);
        }
        else
        {
            RaiseLimitTo(limit);
        }

        RecordSpentAtLeast(spent);
    }

    internal bool TryCommit(long units)
    {
        long committed = Volatile.Read(ref _committed);
        while (true)
        {
            if (units > Volatile.Read(ref _limit) - committed)
            {
                return false;
            }

            long seen = Interlocked.CompareExchange(ref _committed, committed + units, committed);
            if (seen == committed)
            {
                return true;
            }

            committed = seen;
        }
    }

    internal void Uncommit(long units) => Interlocked.Add(ref _committed, -units);

    internal void Settle(long reserved, long actual)
    {
        if (actual != reserved)
        {
            Interlocked.Add(ref _committed, actual - reserved);
        }

        if (actual != 0)
        {
            Interlocked.Add(ref _spent, actual);
        }
    }

    private static long LimitUnitsOf(decimal limit) => limit * CostUnits.PerDollar >= CostUnits.Unlimited ? CostUnits.Unlimited - 1 : (long)decimal.Floor(limit * CostUnits.PerDollar);
}
