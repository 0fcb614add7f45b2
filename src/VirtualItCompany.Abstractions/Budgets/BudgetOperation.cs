namespace VirtualItCompany;

/// <summary>
/// A change to the budget account carried by a <see cref="ProjectCommit"/> (<see cref="ProjectCommit.Budget"/>), applied by
/// a store that shares a transaction with the account (<see cref="IBudgetCommitStore"/>) in the commit's transaction: all
/// of it with the commit, none of it when the commit is refused.
/// </summary>
/// <remarks>
/// The operations are those of <see cref="IBudgetAccount"/> that the runtime would otherwise make as writes of their own
/// around a commit: settling the reservations of calls the model-call journal kept (whose records the same commit
/// removes), and raising a project's limit when its budget is set or increased.
/// </remarks>
public abstract record BudgetOperation
{
    private protected BudgetOperation()
    {
    }

    /// <summary>Lists what is wrong with the operation, each a sentence (empty when it is well formed).</summary>
    /// <returns>The problems.</returns>
    public abstract IReadOnlyList<string> GetProblems();
}

/// <summary>Charges a reservation at what its call cost, as <see cref="IBudgetAccount.SettleAsync"/> does: a reservation already settled or released is left as it is.</summary>
/// <param name="ReservationId">The reservation (<see cref="BudgetReservation.Id"/>).</param>
/// <param name="Cost">What the call cost, in US dollars, 0 to <see cref="BudgetLimits.MaxAmount"/>.</param>
public sealed record SettleReservation(string ReservationId, decimal Cost) : BudgetOperation
{
    /// <inheritdoc />
    public override IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ReservationId))
        {
            problems.Add("A SettleReservation names no reservation.");
        }

        if (Cost < 0 || Cost > BudgetLimits.MaxAmount)
        {
            problems.Add($"SettleReservation '{ReservationId}' charges ${Cost}; a cost must be between $0 and ${BudgetLimits.MaxAmount:0}.");
        }

        return problems;
    }
}

/// <summary>Raises a budget's limit, as <see cref="IBudgetAccount.RaiseLimitAsync"/> does: given when it has none or a lower one, never lowered.</summary>
/// <param name="Scope">The budget.</param>
/// <param name="Limit">The limit in US dollars, 0 to <see cref="BudgetLimits.MaxAmount"/>.</param>
public sealed record RaiseBudgetLimit(BudgetScope Scope, decimal Limit) : BudgetOperation
{
    /// <inheritdoc />
    public override IReadOnlyList<string> GetProblems() =>
        Limit < 0 || Limit > BudgetLimits.MaxAmount
            ? [$"RaiseBudgetLimit of '{Scope.Value}' to ${Limit}; a limit must be between $0 and ${BudgetLimits.MaxAmount:0}."]
            : [];
}
