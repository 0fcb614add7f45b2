using System.Text.RegularExpressions;

namespace VirtualItCompany.Tests.Samples;

// Convention: a ```csharp block in README.md or src/*/README.md is a program, and must be, word for word, the text
// between a "// README:start" line and a "// README:end" line of a .cs file under samples/ (which CI builds and runs
// against the packed packages). An excerpt that cannot compile alone is fenced as ```csharp fragment and is not checked.
public sealed partial class ReadmeSnippetTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void The_README_in_your_app_snippet_is_samples_InYourApp_Program()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var section = readme[readme.IndexOf("## In your app", StringComparison.Ordinal)..];
        var snippet = CodeBlocks(section).First();
        var program = Regions(Path.Combine(Root, "samples", "InYourApp", "Program.cs")).Single();

        Assert.False(snippet.IsFragment);
        Assert.Equal(program, snippet.Code);
    }

    [Fact]
    public void Every_csharp_block_in_the_READMEs_is_a_region_of_a_sample_or_marked_fragment()
    {
        var regions = Directory.EnumerateFiles(Path.Combine(Root, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(Regions)
            .ToHashSet(StringComparer.Ordinal);
        var readmes = Directory.EnumerateFiles(Path.Combine(Root, "src"), "README.md", SearchOption.AllDirectories)
            .Prepend(Path.Combine(Root, "README.md"));

        var unmatched = (from readme in readmes
                         from block in CodeBlocks(File.ReadAllText(readme))
                         where !block.IsFragment && !regions.Contains(block.Code)
                         select $"{Path.GetRelativePath(Root, readme)}: {block.Code.Split('\n')[0]}").ToList();

        Assert.True(unmatched.Count == 0, "C# blocks that are neither a samples/ region nor marked 'fragment':\n" + string.Join("\n", unmatched));
    }

    private static IEnumerable<(string Code, bool IsFragment)> CodeBlocks(string markdown)
    {
        var lines = Normalize(markdown).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var fence = CsharpFence().Match(lines[i]);
            if (!fence.Success)
            {
                continue;
            }

            int end = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
            yield return (string.Join("\n", lines[(i + 1)..end]) + "\n", fence.Groups["info"].Value.Contains("fragment", StringComparison.Ordinal));
            i = end;
        }
    }

    private static IEnumerable<string> Regions(string file)
    {
        var lines = Normalize(File.ReadAllText(file)).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "// README:start")
            {
                int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "// README:end");
                yield return string.Join("\n", lines[(i + 1)..end]) + "\n";
                i = end;
            }
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualItCompany.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (VirtualItCompany.sln) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^```csharp(?<info>\s.*)?$")]
    private static partial Regex CsharpFence();
}
