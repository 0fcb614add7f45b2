using System.Text.RegularExpressions;

namespace VirtualItCompany.Tests.Samples;

/// <summary>
/// The README's configuration table names every key that binds: each public property of each options class in src/ that has a
/// configuration section (its <c>SectionName</c>, or the section it binds under as part of another) is in that section's row.
/// Read from the sources, so the storage and web packages are covered without referencing them.
/// </summary>
public sealed partial class ReadmeConfigurationTests
{
    // Options bound as part of another section, or per provider: not named by a SectionName constant of their own.
    private static readonly Dictionary<string, string> NestedSections = new(StringComparer.Ordinal)
    {
        ["ModelResilienceOptions"] = "VirtualItCompany:Routing:Resilience",
        ["OutcomeFeedbackOptions"] = "VirtualItCompany:Routing:OutcomeFeedback",
        ["ModelProviderOptions"] = "VirtualItCompany:Providers:<Name>",
    };

    // Set in code only, and the table says so.
    private static readonly HashSet<string> CodeOnly = ["CompanyOptions.Lifecycle"];

    [Fact]
    public void The_README_configuration_table_lists_every_key_of_every_options_class()
    {
        var root = FindRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var table = readme[readme.IndexOf("### Configuration", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n#", 1, StringComparison.Ordinal)];
        var rows = table.Split('\n').Where(l => l.StartsWith("| `VirtualItCompany", StringComparison.Ordinal))
            .ToDictionary(l => l[3..l.IndexOf('`', 3)], StringComparer.Ordinal);
        var missing = new List<string>();
        var classes = 0;

        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*Options.cs", SearchOption.AllDirectories))
        {
            var source = File.ReadAllText(file);
            if (ClassName().Match(source) is not { Success: true } declared)
            {
                continue;
            }

            var name = declared.Groups[1].Value;
            var section = SectionName().Match(source) is { Success: true } constant ? constant.Groups[1].Value : NestedSections.GetValueOrDefault(name);
            if (section is null)
            {
                continue; // not bound from configuration (the offline model's, the recording's: set in code)
            }

            classes++;
            if (!rows.TryGetValue(section, out var row))
            {
                missing.Add($"{section} ({name}): no row");
                continue;
            }

            foreach (Match property in Property().Matches(source))
            {
                var key = property.Groups[1].Value;
                if (!CodeOnly.Contains($"{name}.{key}") && !Regex.IsMatch(row, $"`{key}[`:]"))
                {
                    missing.Add($"{section}: {key} ({name}.{key})");
                }
            }
        }

        Assert.True(classes >= 12, $"Only {classes} options classes with a section were found under src/.");
        Assert.True(missing.Count == 0, "Keys missing from README.md's configuration table:\n" + string.Join("\n", missing));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualItCompany.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"public sealed (?:partial )?class (\w+Options)\b")]
    private static partial Regex ClassName();

    [GeneratedRegex(@"public const string SectionName = ""([^""]+)"";")]
    private static partial Regex SectionName();

    [GeneratedRegex(@"^\s+public (?!const|static)[\w<>?,\. ]+ (\w+) \{ get;", RegexOptions.Multiline)]
    private static partial Regex Property();
}
