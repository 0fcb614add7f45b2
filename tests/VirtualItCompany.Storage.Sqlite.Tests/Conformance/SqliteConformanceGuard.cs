using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Storage.Sqlite.Tests.Conformance;

/// <summary>Fails when this assembly lacks a subclass of a storage or budget conformance suite.</summary>
public sealed class SqliteConformanceGuard : ConformanceGuardTests
{
    protected override IReadOnlyCollection<string> Areas => [ConformanceSuiteAttribute.Storage, ConformanceSuiteAttribute.AddressableQueue, ConformanceSuiteAttribute.Budget];
}
