namespace VirtualItCompany;

/// <summary>
/// A project store that applies the budget operations a commit carries (<see cref="ProjectCommit.Budget"/>) to a budget
/// account in the commit's own transaction, so that a work item's settlements and limit raises cost no writes of their own.
/// </summary>
/// <remarks>
/// <para>
/// The runtime puts budget operations in a commit only when the store implements this interface and its
/// <see cref="BudgetAccount"/> is the registered <see cref="IBudgetAccount"/>; otherwise it makes them through the account,
/// each a write of its own. A store that applies no budget operations (this interface not implemented, or
/// <see cref="BudgetAccount"/> <see langword="null"/>) refuses a commit that carries some with
/// <see cref="NotSupportedException"/>, so none is silently dropped.
/// </para>
/// <para>
/// A durable store applies them in the same transaction as the commit's events, snapshot and queue changes (a crash leaves
/// all or none). A store whose account lives elsewhere in the same process (the in-memory store) applies them once the commit
/// has passed its checks and before its queue changes are visible (a worker must find a new project's limit raised when it
/// leases the project's first item); a refused commit applies none.
/// </para>
/// </remarks>
public interface IBudgetCommitStore : IProjectStore
{
    /// <summary>Gets the account this store's commits apply <see cref="ProjectCommit.Budget"/> to, or <see langword="null"/> when it applies none.</summary>
    IBudgetAccount? BudgetAccount { get; }
}
