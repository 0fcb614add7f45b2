using System.Text.RegularExpressions;

namespace VirtualItCompany.Providers.Offline.Answers;

/// <summary>Splits the client's words into lines and sentences.</summary>
internal static partial class TextParts
{
    /// <summary>Gets each sentence of each line, without list markers; empty parts are dropped.</summary>
    public static IReadOnlyList<string> Sentences(IEnumerable<string> texts)
    {
        var parts = new List<string>();
        foreach (var text in texts)
        {
            foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
            {
                string item = ListMarker().Replace(line.Trim(), "");
                parts.AddRange(SentenceEnd().Split(item).Select(s => s.Trim()).Where(s => s.Length > 0));
            }
        }

        return parts;
    }

    /// <summary>Gets the first sentence of a text, at most <paramref name="max"/> characters.</summary>
    public static string FirstSentence(string text, int max = 200)
    {
        string first = Sentences([text]).FirstOrDefault() ?? "";
        return first.Length <= max ? first : first[..max].TrimEnd() + "...";
    }

    [GeneratedRegex(@"^([-*+•]|\d+[.)])\s+")]
    private static partial Regex ListMarker();

    // A sentence ends at . ! or ? followed by white space (so "v1.2" and "e.g.x" stay whole).
    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();
}
