namespace VirtualItCompany;

/// <summary>Money set aside for one model call; settle it (<see cref="IBudgetAccount.SettleAsync"/>) or release it (<see cref="IBudgetAccount.ReleaseAsync"/>); a second settlement is ignored.</summary>
/// <param name="Id">The reservation's id, unique in its account.</param>
/// <param name="ProjectId">The project charged besides the company, or <see langword="null"/>.</param>
/// <param name="Amount">The amount set aside, in US dollars.</param>
/// <param name="Owner">Who answers for it (see <see cref="BudgetReservationRequest.Owner"/>).</param>
/// <param name="ModelId">The model it is for, or <see langword="null"/>.</param>
public sealed record BudgetReservation(string Id, ProjectId? ProjectId, decimal Amount, string Owner, string? ModelId = null);
