namespace VirtualItCompany;

/// <summary>
/// The one truth about money: every project's budget and the company's, shared by every worker that uses the same
/// account. A model call reserves its worst-case cost before it is made (in its project's budget and the company's,
/// both or neither), then settles its real cost or releases the reservation when it certainly cost nothing.
/// </summary>
/// <remarks>
/// An implementation is atomic across callers (and, for a shared store, across processes and machines): a reservation
/// that would take the project or the company past its limit is refused, so no budget is overspent as long as each
/// call costs no more than it reserved. The in-memory account ships with the router; durable stores ship their own and
/// pass the budget conformance suite in <c>VirtualItCompany.Testing</c>. Amounts are US dollars, 0 to
/// <see cref="BudgetLimits.MaxAmount"/>. A scope without a limit accepts any reservation.
/// </remarks>
public interface IBudgetAccount
{
    /// <summary>Reserves an amount in the project's budget (when given) and the company's, or in neither.</summary>
    /// <param name="request">The project, amount and owner; and how long to wait when only other calls' reservations stand in the way.</param>
    /// <param name="cancellationToken">Cancels the call (and any wait); nothing is then reserved.</param>
    /// <returns>The reservation, or which budget refused.</returns>
    ValueTask<BudgetReservationResult> TryReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Charges a reservation at what the call cost (which may exceed the reservation: what was spent is charged), freeing the rest; a reservation already settled or released is ignored.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="actualCost">What the call cost, in US dollars.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when this call settled it; <see langword="false"/> when it was already settled or released.</returns>
    ValueTask<bool> SettleAsync(BudgetReservation reservation, decimal actualCost, CancellationToken cancellationToken = default);

    /// <summary>Frees a reservation whose call certainly cost nothing; a reservation already settled or released is ignored.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when this call released it.</returns>
    ValueTask<bool> ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>Charges, at their full amount, the reservations an owner left open (a stream never disposed, a call abandoned), so none is held forever and none is under-counted.</summary>
    /// <param name="owner">The owner, such as a finished work item's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reservations this call charged; empty when the owner left none open.</returns>
    ValueTask<IReadOnlyList<BudgetReservation>> SettleOwnerAsync(string owner, CancellationToken cancellationToken = default);

    /// <summary>Reads a budget's limit, spend and reservations.</summary>
    /// <param name="scope">The budget.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The balance; a scope never used has no limit and nothing spent.</returns>
    ValueTask<BudgetBalance> GetBalanceAsync(BudgetScope scope, CancellationToken cancellationToken = default);

    /// <summary>Reads several budgets' limits, spend and reservations, as <see cref="GetBalanceAsync"/> reads each.</summary>
    /// <param name="scopes">The budgets.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The balances, in the order of <paramref name="scopes"/>.</returns>
    /// <remarks>
    /// The router reads the company's and the project's balance before each call. The default reads them one by one; an
    /// account over a remote store overrides it to read them in one round trip. Like two calls of
    /// <see cref="GetBalanceAsync"/>, the balances need not be one consistent snapshot.
    /// </remarks>
    async ValueTask<IReadOnlyList<BudgetBalance>> GetBalancesAsync(IReadOnlyList<BudgetScope> scopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var balances = new BudgetBalance[scopes.Count];
        for (int i = 0; i < balances.Length; i++)
        {
            balances[i] = await GetBalanceAsync(scopes[i], cancellationToken).ConfigureAwait(false);
        }

        return balances;
    }

    /// <summary>Sets a budget's limit (it may be lowered: reservations already made are not undone).</summary>
    /// <param name="scope">The budget.</param>
    /// <param name="limit">The limit in US dollars, 0 to <see cref="BudgetLimits.MaxAmount"/>; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the limit is set.</returns>
    ValueTask SetLimitAsync(BudgetScope scope, decimal? limit, CancellationToken cancellationToken = default);

    /// <summary>Raises a budget's limit to <paramref name="limit"/> when it has none yet or a lower one; never lowers it. Safe to repeat, in any order, from any worker.</summary>
    /// <param name="scope">The budget.</param>
    /// <param name="limit">The limit in US dollars, 0 to <see cref="BudgetLimits.MaxAmount"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the limit is at least <paramref name="limit"/>.</returns>
    ValueTask RaiseLimitAsync(BudgetScope scope, decimal limit, CancellationToken cancellationToken = default);
}
