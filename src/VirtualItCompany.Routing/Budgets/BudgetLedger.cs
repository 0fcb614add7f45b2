using System.Collections.Concurrent;

namespace VirtualItCompany.Routing;

/// <summary>
/// Project and global budgets, safe under concurrency and lock-free: a call reserves its worst-case cost before it is
/// made (in its project's account and the global one), settles its real cost after (the whole reservation when usage
/// is missing or incomplete, or when it failed after the request may have been billed), or releases the reservation
/// when it certainly cost nothing. A reservation that would take any account past its limit is refused, so spend never exceeds a budget as
/// long as each call costs no more than it reserved.
/// </summary>
public sealed class BudgetLedger
{
    /// <summary>The name of the global scope.</summary>
    public const string GlobalScope = "global";

    /// <summary>The prefix of a project's scope: <c>project:&lt;id&gt;</c>.</summary>
    public const string ProjectScopePrefix = "project:";

    private readonly ConcurrentDictionary<string, BudgetAccount> _projects = new(StringComparer.Ordinal);

    /// <summary>Creates a ledger.</summary>
    /// <param name="globalLimit">The budget across all projects, in US dollars; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="globalLimit"/> is negative.</exception>
    public BudgetLedger(decimal? globalLimit = null)
    {
        Global = new BudgetAccount(GlobalScope);
        if (globalLimit is { } limit)
        {
            if (limit < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(globalLimit), limit, $"The global budget is {limit}; it must be zero (free models only) or more, or null for none.");
            }

            Global.SetLimit(limit);
        }
    }

    /// <summary>Gets the global account, charged by every call.</summary>
    public BudgetAccount Global { get; }

    /// <summary>Gets (creating when new, without a limit) the account of a project.</summary>
    /// <param name="projectId">The project id.</param>
    /// <returns>The account, scoped <c>project:&lt;id&gt;</c>.</returns>
    public BudgetAccount GetProjectAccount(string projectId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        return _projects.TryGetValue(projectId, out var account)
            ? account
            : _projects.GetOrAdd(projectId, static id => new BudgetAccount(ProjectScopePrefix + id));
    }

    /// <summary>Applies a call's budget tags to its project's account: the first sight sets the limit and spent; later ones raise the limit when it grew and keep the larger spent.</summary>
    /// <param name="projectId">The project id.</param>
    /// <param name="limit">The project's budget, in US dollars.</param>
    /// <param name="spent">What the project had spent, in US dollars.</param>
    /// <returns>The project's account.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> or <paramref name="spent"/> is negative.</exception>
    public BudgetAccount ObserveProject(string projectId, decimal limit, decimal spent)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"Project '{projectId}' has a budget of {limit}; a budget must be zero (free models only) or more.");
        }

        if (spent < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spent), spent, $"Project '{projectId}' reports {spent} spent; spend cannot be negative.");
        }

        var account = GetProjectAccount(projectId);
        account.Observe(limit, spent);
        return account;
    }

    /// <summary>Reserves <paramref name="amount"/> in <paramref name="account"/> (when given) and the global account, or nothing if either would go past its limit.</summary>
    /// <param name="account">The project's account, or <see langword="null"/> for the global account only.</param>
    /// <param name="amount">The call's worst-case cost, in US dollars.</param>
    /// <param name="reservation">The reservation, to settle or release exactly once.</param>
    /// <returns>Whether the amount was reserved.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public bool TryReserve(BudgetAccount? account, decimal amount, out BudgetReservation reservation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        return TryReserveUnits(account, CostUnits.FromDollarsCeiling(amount), out reservation);
    }

    /// <summary>Settles a reservation at the call's real cost; what was reserved beyond it is freed.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="actualCost">What the call cost, in US dollars.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="actualCost"/> is negative.</exception>
    public void Settle(in BudgetReservation reservation, decimal actualCost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actualCost);
        SettleUnits(reservation, CostUnits.FromDollarsCeiling(actualCost));
    }

    /// <summary>Frees a reservation whose call failed without cost.</summary>
    /// <param name="reservation">The reservation.</param>
    public void Release(in BudgetReservation reservation)
    {
        if (reservation.Units != 0)
        {
            reservation.Account?.Uncommit(reservation.Units);
            Global.Uncommit(reservation.Units);
        }
    }

    /// <summary>The least that can still be reserved for a call in <paramref name="account"/>, in units.</summary>
    internal long RemainingUnits(BudgetAccount? account) => account is null ? Global.RemainingUnits : Math.Min(account.RemainingUnits, Global.RemainingUnits);

    internal bool TryReserveUnits(BudgetAccount? account, long units, out BudgetReservation reservation)
    {
        reservation = new BudgetReservation(account, units);
        if (units == 0)
        {
            return true;
        }

        if (account is not null && !account.TryCommit(units))
        {
            return false;
        }

        if (!Global.TryCommit(units))
        {
            account?.Uncommit(units);
            return false;
        }

        return true;
    }

    internal void SettleUnits(in BudgetReservation reservation, long actual)
    {
        reservation.Account?.Settle(reservation.Units, actual);
        Global.Settle(reservation.Units, actual);
    }
}
