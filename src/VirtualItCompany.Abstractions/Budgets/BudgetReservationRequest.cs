namespace VirtualItCompany;

/// <summary>What a caller asks <see cref="IBudgetAccount.TryReserveAsync"/> to set aside before a model call.</summary>
/// <param name="ProjectId">The project charged besides the company; <see langword="null"/> for the company budget only.</param>
/// <param name="Amount">The call's worst-case cost, in US dollars; 0 to <see cref="BudgetLimits.MaxAmount"/>.</param>
/// <param name="Owner">Who answers for the reservation, such as a work item's id: <see cref="IBudgetAccount.SettleOwnerAsync"/> charges what it left open.</param>
public sealed record BudgetReservationRequest(ProjectId? ProjectId, decimal Amount, string Owner)
{
    /// <summary>Gets how long to wait, when only other calls' reservations stand in the way (what was spent leaves room), for them to settle before refusing.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>: refuse at once.</value>
    public TimeSpan MaxWait { get; init; }

    /// <summary>Gets the model the reservation is for, reported back when its owner is settled; <see langword="null"/> when unknown.</summary>
    public string? ModelId { get; init; }
}
