using System.Diagnostics.CodeAnalysis;
using Xunit;

namespace VirtualItCompany.Testing.Conformance;

/// <summary>The guard an adapter's test project subclasses once: it fails, naming them, when a conformance suite of the adapter's areas is not subclassed in that project.</summary>
/// <remarks>Suites are found by reflection over this package, so a suite added in a later version is required as soon as the package is updated.</remarks>
public abstract class ConformanceGuardTests
{
    /// <summary>Gets the areas the adapter implements, such as <see cref="ConformanceSuiteAttribute.Storage"/> and <see cref="ConformanceSuiteAttribute.Workspace"/>.</summary>
    protected abstract IReadOnlyCollection<string> Areas { get; }

    /// <summary>Every suite of the declared areas has a concrete subclass in the assembly of the concrete guard.</summary>
    [Fact]
    [RequiresUnreferencedCode("Scans the test assembly's types by reflection, as test discovery does.")]
    public void Every_conformance_suite_of_the_adapters_areas_is_subclassed()
    {
        Assert.NotEmpty(Areas);
        var missing = ConformanceSuites.FindMissing(GetType().Assembly, Areas);

        Assert.True(missing.Count == 0, $"Missing conformance suites ({missing.Count}):{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
    }
}
