using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualItCompany.Providers.Offline.Template;

/// <summary>Derives safe C# identifiers and URL slugs from arbitrary text (any script, digits first, empty).</summary>
internal static class CodeNames
{
    /// <summary>Gets a PascalCase ASCII identifier from the words of <paramref name="text"/>, or <paramref name="fallback"/> plus a stable hash when it has none.</summary>
    public static string Pascal(string text, string fallback)
    {
        var builder = new StringBuilder();
        foreach (var word in AsciiWords(text))
        {
            builder.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
        }

        if (builder.Length == 0)
        {
            return fallback + StableHash(text);
        }

        // An identifier cannot start with a digit.
        return char.IsAsciiDigit(builder[0]) ? fallback + builder : builder.ToString();
    }

    /// <summary>Gets a lower-case, dash-separated ASCII slug from the words of <paramref name="text"/>, or <paramref name="fallback"/> plus a stable hash when it has none.</summary>
    public static string Slug(string text, string fallback)
    {
        var words = AsciiWords(text).Select(w => w.ToLowerInvariant()).ToList();
        return words.Count == 0 ? fallback + "-" + StableHash(text) : string.Join('-', words);
    }

    /// <summary>Gets the class name of a feature: <c>{Pascal}Feature</c>, never clashing with <c>IFeature</c>.</summary>
    public static string FeatureClass(string featureName)
    {
        string name = Pascal(featureName, "Feature") + "Feature";
        return name == "IFeature" ? "ItemIFeature" : name;
    }

    /// <summary>Gets the path of a feature's source file.</summary>
    public static string FeaturePath(string featureName) => $"Service/Features/{FeatureClass(featureName)}.cs";

    /// <summary>Gets the route of a feature.</summary>
    public static string FeatureRoute(string featureName) => "/features/" + Slug(featureName, "feature");

    /// <summary>Gets the namespace of the generated service.</summary>
    public static string ServiceNamespace(string title) => Pascal(title, "Delivered") + "Service";

    /// <summary>Gets eight hex digits that depend only on the text.</summary>
    public static string StableHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 4));

    private static List<string> AsciiWords(string text)
    {
        // Letters with accents keep their base letter (Café -> Cafe); other scripts are dropped.
        string decomposed = text.Normalize(NormalizationForm.FormD);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
