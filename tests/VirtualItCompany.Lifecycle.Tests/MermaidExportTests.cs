namespace VirtualItCompany.Lifecycle.Tests;

public class MermaidExportTests
{
    private const string SnapshotName = "default-lifecycle.mmd";

    [Fact]
    public void Default_lifecycle_exports_the_committed_mermaid_snapshot()
    {
        var expected = Normalize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Snapshots", SnapshotName)));
        var actual = Normalize(new LifecycleEngine(LifecycleDefinition.Default).ToMermaid());

        if (expected != actual)
        {
            var actualPath = Path.Combine(AppContext.BaseDirectory, "Snapshots", "default-lifecycle.actual.mmd");
            File.WriteAllText(actualPath, actual);
            Assert.Fail(
                $"The Mermaid export of the default lifecycle differs from tests/VirtualItCompany.Lifecycle.Tests/Snapshots/{SnapshotName}. " +
                $"{DescribeFirstDifference(expected, actual)} The actual output is in {actualPath}; " +
                $"diff it with the snapshot, and if the change is intended, copy it over the snapshot and commit it.");
        }
    }

    private static string Normalize(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n');

    private static string DescribeFirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var want = i < expectedLines.Length ? expectedLines[i] : "(end of snapshot)";
            var got = i < actualLines.Length ? actualLines[i] : "(end of output)";
            if (want != got)
            {
                return $"First difference at line {i + 1}: expected \"{want}\" but got \"{got}\".";
            }
        }

        return "The texts differ only in white space.";
    }
}
