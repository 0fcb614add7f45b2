using System.Globalization;
using System.Text;

namespace VirtualItCompany.Providers.Offline.Template;

/// <summary>Writes arbitrary text as C# source safely.</summary>
internal static class CSharpText
{
    /// <summary>Gets a regular C# string literal, quotes included, that evaluates to <paramref name="text"/>.</summary>
    public static string Literal(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append(c).Append(text[++i]);
                    }
                    else if (NeedsEscape(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Gets a collection expression of string literals.</summary>
    public static string List(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Literal)) + "]";

    /// <summary>Gets text as one line for a comment: no line breaks or control characters.</summary>
    public static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(NeedsEscape(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    // Line separators (U+0085, U+2028, U+2029) end a C# line; control and format characters
    // (bidirectional overrides) are legal but invisible, so they are escaped; lone surrogates cannot be encoded.
    private static bool NeedsEscape(char c) =>
        char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format;
}
