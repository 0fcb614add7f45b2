namespace VirtualItCompany;

/// <summary>What <see cref="IBudgetAccount.TryReserveAsync"/> answered: the reservation, or which budget refused and why.</summary>
public sealed record BudgetReservationResult
{
    private BudgetReservationResult()
    {
    }

    /// <summary>Gets the reservation when it was granted; <see langword="null"/> when refused.</summary>
    public BudgetReservation? Reservation { get; private init; }

    /// <summary>Gets whether the amount was reserved.</summary>
    public bool IsGranted => Reservation is not null;

    /// <summary>Gets the budget that refused, when refused.</summary>
    public BudgetScope? RefusedBy { get; private init; }

    /// <summary>Gets what that budget had left (limit less spent and reserved), in US dollars, when refused.</summary>
    public decimal Remaining { get; private init; }

    /// <summary>Gets what other calls had reserved in that budget, in US dollars, when refused.</summary>
    public decimal InFlight { get; private init; }

    /// <summary>Creates a granted result.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <returns>The result.</returns>
    public static BudgetReservationResult Granted(BudgetReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return new() { Reservation = reservation };
    }

    /// <summary>Creates a refused result.</summary>
    /// <param name="refusedBy">The budget that refused.</param>
    /// <param name="remaining">What it had left, in US dollars.</param>
    /// <param name="inFlight">What other calls had reserved in it, in US dollars.</param>
    /// <returns>The result.</returns>
    public static BudgetReservationResult Refused(BudgetScope refusedBy, decimal remaining, decimal inFlight) =>
        new() { RefusedBy = refusedBy, Remaining = Math.Max(0m, remaining), InFlight = Math.Max(0m, inFlight) };
}
