using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Routing.Tests.Budgets;

/// <summary>Fails when a budget conformance suite has no subclass for the in-memory account in this assembly.</summary>
public sealed class BudgetConformanceGuard : ConformanceGuardTests
{
    protected override IReadOnlyCollection<string> Areas => [ConformanceSuiteAttribute.Budget];
}
