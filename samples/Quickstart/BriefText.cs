namespace Quickstart;

/// <summary>Derives a project title from a free-text brief.</summary>
internal static class BriefText
{
    public static string TitleOf(string brief)
    {
        var firstSentence = brief.Split(['.', '!', '?', '\n'], 2, StringSplitOptions.TrimEntries)[0];
        var title = string.IsNullOrWhiteSpace(firstSentence) ? brief.Trim() : firstSentence;
        return title.Length <= 80 ? title : title[..77].TrimEnd() + "...";
    }

    /// <summary>Splits a brief into sentences, used as the automatic answer to "which capabilities first?".</summary>
    public static string AsCapabilities(string brief)
    {
        var sentences = brief.Split(['.', '!', '?', '\n', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return string.Join(". ", sentences) + ".";
    }
}
