using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace VirtualItCompany.Testing.Conformance;

/// <summary>Finds the conformance suites of this package and the ones an adapter's test assembly does not subclass.</summary>
public static class ConformanceSuites
{
    /// <summary>Gets every suite marked <see cref="ConformanceSuiteAttribute"/> in this package, by area.</summary>
    /// <returns>The suites, each with its area.</returns>
    [RequiresUnreferencedCode("Scans this package's types; the suites are found by reflection.")]
    public static IReadOnlyList<(Type Suite, string Area)> All() =>
        [.. typeof(ConformanceSuites).Assembly.GetTypes()
            .Select(t => (Suite: t, Attribute: t.GetCustomAttribute<ConformanceSuiteAttribute>()))
            .Where(s => s.Attribute is not null)
            .Select(s => (s.Suite, s.Attribute!.Area))
            .OrderBy(s => s.Area, StringComparer.Ordinal)
            .ThenBy(s => s.Suite.Name, StringComparer.Ordinal)];

    /// <summary>Lists what an adapter's test assembly misses: every suite of the given areas with no concrete subclass in it, or none for one of the fixtures the assembly uses with the area's other suites, and every area with no suite.</summary>
    /// <param name="testAssembly">The adapter's test assembly.</param>
    /// <param name="areas">The areas the adapter implements, such as <see cref="ConformanceSuiteAttribute.Storage"/>.</param>
    /// <returns>One line per problem; empty when every suite is subclassed.</returns>
    [RequiresUnreferencedCode("Scans the test assembly's types by reflection.")]
    public static IReadOnlyList<string> FindMissing(Assembly testAssembly, IEnumerable<string> areas)
    {
        ArgumentNullException.ThrowIfNull(testAssembly);
        ArgumentNullException.ThrowIfNull(areas);
        var concrete = LoadableTypes(testAssembly).Where(t => t.IsClass && !t.IsAbstract).ToArray();
        var suites = All();
        var problems = new List<string>();
        foreach (var area in areas.Distinct(StringComparer.Ordinal))
        {
            var ofArea = suites.Where(s => s.Area == area).ToArray();
            if (ofArea.Length == 0)
            {
                problems.Add($"No conformance suite has the area '{area}'; the areas are: {string.Join(", ", suites.Select(s => s.Area).Distinct())}.");
            }

            // Which implementations (the suites' fixtures) the assembly tests in this area: each must get every suite.
            var covered = ofArea.ToDictionary(s => s.Suite, s => concrete.Select(t => ClosedBase(t, s.Suite)).OfType<Type>().ToArray());
            var fixtures = covered.Values.SelectMany(c => c).Where(c => c.IsGenericType).Select(c => c.GetGenericArguments()[0]).Distinct().ToArray();
            foreach (var (suite, _) in ofArea)
            {
                if (covered[suite].Length == 0)
                {
                    problems.Add($"{DisplayName(suite)} ({area}) has no concrete subclass in {testAssembly.GetName().Name}.");
                    continue;
                }

                foreach (var fixture in fixtures.Where(f => suite.IsGenericTypeDefinition && !covered[suite].Any(c => c.GetGenericArguments()[0] == f)))
                {
                    problems.Add($"{DisplayName(suite)} ({area}) has no concrete subclass for {fixture.Name} in {testAssembly.GetName().Name}.");
                }
            }
        }

        return problems;
    }

    /// <summary>Gets the base of a type that is the suite (closed over its fixture), or <see langword="null"/>.</summary>
    private static Type? ClosedBase(Type type, Type suite)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t == suite || (t.IsGenericType && t.GetGenericTypeDefinition() == suite))
            {
                return t;
            }
        }

        return null;
    }

    private static string DisplayName(Type suite) =>
        suite.IsGenericTypeDefinition
            ? $"{suite.Namespace}.{suite.Name[..suite.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", suite.GetGenericArguments().Select(a => a.Name))}>"
            : suite.FullName ?? suite.Name;

    [RequiresUnreferencedCode("Scans the assembly's types by reflection.")]
    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }
}
