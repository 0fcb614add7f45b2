namespace VirtualItCompany.Routing;

/// <summary>One budget of an <see cref="InMemoryBudgetAccount"/>, in nano-dollar units: its limit, spend and reservations. Lock-free.</summary>
internal sealed class BudgetTally
{
    private long _limit = BudgetUnits.Unlimited;
    private long _committed; // spent + reserved: the figure checked against the limit
    private long _spent;

    public long LimitUnits => Volatile.Read(ref _limit);

    public long SpentUnits => Volatile.Read(ref _spent);

    public long ReservedUnits => Math.Max(0, Volatile.Read(ref _committed) - Volatile.Read(ref _spent));

    /// <summary>What may still be reserved, in units (<see cref="BudgetUnits.Unlimited"/> without a limit).</summary>
    public long RemainingUnits => Math.Max(0, Volatile.Read(ref _limit) - Volatile.Read(ref _committed));

    /// <summary>What the limit leaves after settled spend only, in units: room that in-flight reservations may free.</summary>
    public long RoomAfterSpentUnits => Math.Max(0, Volatile.Read(ref _limit) - Volatile.Read(ref _spent));

    public void SetLimit(long units) => Volatile.Write(ref _limit, units);

    public void RaiseLimitTo(long units)
    {
        long current = Volatile.Read(ref _limit);
        while (units > current || current >= BudgetUnits.Unlimited)
        {
            long seen = Interlocked.CompareExchange(ref _limit, units, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public bool TryCommit(long units)
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

    public void Uncommit(long units) => Interlocked.Add(ref _committed, -units);

    public void Settle(long reserved, long actual)
    {
        if (actual != reserved)
        {
            AddSaturating(ref _committed, actual - reserved);
        }

        if (actual != 0)
        {
            AddSaturating(ref _spent, actual);
        }
    }

    /// <summary>Adds without wrapping: spend above the reservation (up to <see cref="BudgetLimits.MaxAmount"/> a call) could otherwise overflow after billions of dollars.</summary>
    private static void AddSaturating(ref long target, long delta)
    {
        long current = Volatile.Read(ref target);
        while (true)
        {
            long next = delta > 0 && current > BudgetUnits.Unlimited - delta ? BudgetUnits.Unlimited : current + delta;
            long seen = Interlocked.CompareExchange(ref target, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
