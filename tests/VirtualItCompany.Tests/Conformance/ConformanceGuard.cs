using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Tests.Conformance;

/// <summary>Fails when this assembly lacks a subclass of a storage or workspace conformance suite.</summary>
public sealed class ConformanceGuard : ConformanceGuardTests
{
    protected override IReadOnlyCollection<string> Areas => [ConformanceSuiteAttribute.Storage, ConformanceSuiteAttribute.Workspace];
}
