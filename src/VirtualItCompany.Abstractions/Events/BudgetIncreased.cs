namespace VirtualItCompany;

/// <summary>The client added budget to the project.</summary>
/// <param name="Amount">What was added, in US dollars.</param>
/// <param name="NewBudget">The project's budget after it, in US dollars.</param>
public sealed record BudgetIncreased(decimal Amount, decimal NewBudget) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Budget increased by ${Amount:0.##} to ${NewBudget:0.##}";
}
