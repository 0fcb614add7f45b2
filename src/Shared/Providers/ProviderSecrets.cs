using System.Text.RegularExpressions;

namespace VirtualItCompany.Providers;

/// <summary>Keeps keys out of every message: the configured key, and anything shaped like a provider key.</summary>
internal static partial class ProviderSecrets
{
    private const int MaxDetail = 400;

    public static string Redact(string? text, string? key)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (!string.IsNullOrEmpty(key))
        {
            text = text.Replace(key, "[redacted]", StringComparison.Ordinal);
        }

        text = KeyShape().Replace(text, "[redacted]");
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length > MaxDetail ? string.Concat(text.AsSpan(0, MaxDetail), "...") : text;
    }

    /// <summary>Whether the text holds the key (or something shaped like one), so the exception holding it must not be kept.</summary>
    public static bool Holds(string? text, string? key) =>
        !string.IsNullOrEmpty(text) && ((!string.IsNullOrEmpty(key) && text.Contains(key, StringComparison.Ordinal)) || KeyShape().IsMatch(text));

    // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Groq (gsk_) keys, and bearer tokens in echoed headers.
    [GeneratedRegex(@"(\b(sk|gsk|sk-ant|sk-proj)[-_][A-Za-z0-9*_\-]{6,})|(Bearer\s+[A-Za-z0-9._\-*]{6,})", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShape();
}
