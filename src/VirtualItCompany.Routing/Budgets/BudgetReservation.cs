namespace VirtualItCompany.Routing;

/// <summary>Money set aside for one call by <see cref="BudgetLedger.TryReserve"/>; settle it or release it exactly once.</summary>
public readonly struct BudgetReservation : IEquatable<BudgetReservation>
{
    internal BudgetReservation(BudgetAccount? account, long units)
    {
        Account = account;
        Units = units;
    }

    /// <summary>Gets the amount reserved, in US dollars.</summary>
    public decimal Amount => CostUnits.ToDollars(Units);

    /// <summary>Gets the account reserved against besides the global one, if any.</summary>
    public BudgetAccount? Account { get; }

    internal long Units { get; }

    /// <inheritdoc/>
    public bool Equals(BudgetReservation other) => ReferenceEquals(Account, other.Account) && Units == other.Units;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BudgetReservation other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Account, Units);

    /// <summary>Compares two reservations.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(BudgetReservation left, BudgetReservation right) => left.Equals(right);

    /// <summary>Compares two reservations.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(BudgetReservation left, BudgetReservation right) => !left.Equals(right);
}
