using System.Text.RegularExpressions;

namespace VirtualItCompany.Tests.Samples;

// Convention: a ```csharp block in README.md or in any src/*/README.md is a program: word for word (after removing the
// region's common indentation), the text between a "// README:start" line and a "// README:end" line of a .cs file of
// a sample that .ci/run builds (samples/InYourApp, samples/PackageSnippets... against the packed packages). An excerpt
// that truly cannot be a region is fenced ```csharp fragment, and the line just above the block must say why, with
// "not compiled" in it; and every region of those samples must be quoted by some README, so none goes stale.
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
    public void Every_csharp_block_in_the_READMEs_is_a_region_of_a_sample_CI_builds()
    {
        var regions = SampleRegions().Select(r => r.Code).ToHashSet(StringComparer.Ordinal);

        var unmatched = (from readme in Readmes()
                         from block in CodeBlocks(File.ReadAllText(readme))
                         where !block.IsFragment && !regions.Contains(block.Code)
                         select $"{Path.GetRelativePath(Root, readme)}:{block.Line}: {block.Code.Split('\n')[0]}").ToList();

        Assert.True(unmatched.Count == 0, "C# blocks that are not, word for word, a // README:start region of a sample .ci/run builds:\n" + string.Join("\n", unmatched));
    }

    [Fact]
    public void A_csharp_fragment_says_why_it_is_not_compiled()
    {
        var unexplained = (from readme in Readmes()
                           from block in CodeBlocks(File.ReadAllText(readme))
                           where block.IsFragment && !block.TextAbove.Contains("not compiled", StringComparison.OrdinalIgnoreCase)
                           select $"{Path.GetRelativePath(Root, readme)}:{block.Line}: {block.Code.Split('\n')[0]}").ToList();

        Assert.True(unexplained.Count == 0, "'csharp fragment' blocks whose line above does not say why they are not compiled (\"not compiled: ...\"); make them a region of a sample instead:\n" + string.Join("\n", unexplained));
    }

    [Fact]
    public void Every_region_of_the_samples_is_quoted_by_a_README()
    {
        var quoted = Readmes().SelectMany(r => CodeBlocks(File.ReadAllText(r))).Select(b => b.Code).ToHashSet(StringComparer.Ordinal);

        var stale = SampleRegions().Where(r => !quoted.Contains(r.Code)).Select(r => $"{Path.GetRelativePath(Root, r.File)}: {r.Code.Split('\n')[0]}").ToList();

        Assert.True(stale.Count == 0, "// README:start regions that no README quotes (update the README, or remove the markers):\n" + string.Join("\n", stale));
    }

    // README.md and every README.md under src/.
    private static IEnumerable<string> Readmes() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "README.md", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Prepend(Path.Combine(Root, "README.md"));

    // The regions of the samples that .ci/run builds (named there as samples/<name>).
    private static IEnumerable<(string File, string Code)> SampleRegions()
    {
        var ci = File.ReadAllText(Path.Combine(Root, ".ci", "run"));
        return from dir in Directory.EnumerateDirectories(Path.Combine(Root, "samples"))
               where Regex.IsMatch(ci, $@"samples/{Regex.Escape(Path.GetFileName(dir))}\b")
               from file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
               where !IsBuildOutput(file)
               from region in Regions(file)
               select (file, region);
    }

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static IEnumerable<(string Code, bool IsFragment, int Line, string TextAbove)> CodeBlocks(string markdown)
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
            string above = lines[..i].LastOrDefault(l => l.Trim().Length > 0) ?? "";
            yield return (string.Join("\n", lines[(i + 1)..end]) + "\n", fence.Groups["info"].Value.Contains("fragment", StringComparison.Ordinal), i + 1, above);
            i = end;
        }
    }

    // The text between the markers, less the indentation its lines share (a region inside a method reads as in the README).
    private static IEnumerable<string> Regions(string file)
    {
        var lines = Normalize(File.ReadAllText(file)).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "// README:start")
            {
                int end = Array.FindIndex(lines, i + 1, l => l.Trim() is "// README:end" or "// README:start");
                if (end < 0 || lines[end].Trim() != "// README:end")
                {
                    throw new InvalidOperationException($"{file}:{i + 1}: a // README:start region has no // README:end before the next start or the end of the file.");
                }

                var body = lines[(i + 1)..end];
                int indent = body.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
                yield return string.Join("\n", body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())) + "\n";
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

    // ```csharp, ```cs or ```c#, with anything after it (such as "fragment").
    [GeneratedRegex(@"^```(csharp|cs|c#)(?<info>\s.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex CsharpFence();
}
