using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Storage.PostgreSql.Tests.Conformance;

/// <summary>Fails when this assembly lacks a subclass of a storage or budget conformance suite.</summary>
public sealed class PostgreSqlConformanceGuard : ConformanceGuardTests
{
    protected override IReadOnlyCollection<string> Areas => [ConformanceSuiteAttribute.Storage, ConformanceSuiteAttribute.AddressableQueue, ConformanceSuiteAttribute.Budget];
}
