using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests;

/// <summary>Every provider conformance suite is subclassed here.</summary>
public sealed class ProviderConformanceGuard : ConformanceGuardTests
{
    protected override IReadOnlyCollection<string> Areas => [ConformanceSuiteAttribute.Providers];
}
