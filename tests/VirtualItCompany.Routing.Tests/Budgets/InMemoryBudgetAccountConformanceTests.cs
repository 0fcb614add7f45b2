using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Routing.Tests.Budgets;

/// <summary>The in-memory account meets the budget specification every account must meet.</summary>
public sealed class InMemoryBudgetAccountConformanceTests : BudgetAccountConformanceTests
{
    protected override ValueTask<IBudgetAccount> CreateAccountAsync(FakeTimeProvider timeProvider) =>
        new(new InMemoryBudgetAccount(timeProvider: timeProvider));
}
