using System.Buffers;
using System.Collections;
using System.Text.RegularExpressions;

namespace VirtualItCompany.Security;

/// <summary>
/// Replaces secrets with placeholders an agent can still refer to (<c>[secret:NAME]</c>): the configured ones
/// (<see cref="Runtime.CompanyOptions.Secrets"/>), the values of this process's environment variables whose names say they hold one
/// (<c>*KEY*</c>, <c>*TOKEN*</c>, <c>*SECRET*</c>, <c>*PASSWORD*</c>, <c>*CREDENTIAL*</c>), and common key shapes (OpenAI, Anthropic,
/// Groq, AWS, GitHub, bearer tokens, private key blocks).
/// </summary>
/// <remarks>One instance is applied at each sink: events (<c>CommitWriter</c>), files, file names and commit messages written by agents
/// (<c>RecordingWorkspace</c>), and every request to and answer from a model (<see cref="RedactingChatClient"/>).</remarks>
internal sealed partial class SecretRedactor
{
    private const int ShortestSecret = 8;

    /// <summary>The literal starts of the key shapes below, matched without case: text holding none of them (nor a known secret) is clean.</summary>
    private static readonly string[] ShapeStarts =
        ["-----BEGIN", "sk-", "gsk_", "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "secret", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "bearer"];

    private readonly (string Value, string Placeholder)[] _known;
    private readonly SearchValues<string> _starts;

    /// <summary>Creates the redactor.</summary>
    /// <param name="secrets">Secrets by the name their placeholder shows.</param>
    /// <param name="fromEnvironment">Whether to add the values of secret-looking environment variables.</param>
    public SecretRedactor(IEnumerable<KeyValuePair<string, string>> secrets, bool fromEnvironment)
    {
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in secrets)
        {
            if (!string.IsNullOrEmpty(value))
            {
                known[value] = Placeholder(name);
            }
        }

        if (fromEnvironment)
        {
            foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                if (variable.Key is string name && variable.Value is string { Length: >= ShortestSecret } value && SecretName().IsMatch(name))
                {
                    known.TryAdd(value, Placeholder(name));
                }
            }
        }

        // Longest first, so a secret that contains another is replaced whole.
        _known = [.. known.OrderByDescending(k => k.Key.Length).Select(k => (k.Key, k.Value))];
        // One vectorized search decides for most text that nothing below can match (a superset: case is ignored for all).
        _starts = SearchValues.Create([.. ShapeStarts, .. _known.Select(k => k.Value)], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Gets a redactor that replaces nothing but the common key shapes.</summary>
    public static SecretRedactor PatternsOnly { get; } = new([], fromEnvironment: false);

    /// <summary>Replaces every secret in <paramref name="text"/>.</summary>
    /// <returns>The text with placeholders; the same instance when there was nothing to replace.</returns>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAny(_starts) < 0)
        {
            return text;
        }

        var result = text;
        foreach (var (value, placeholder) in _known)
        {
            if (result.Contains(value, StringComparison.Ordinal))
            {
                result = result.Replace(value, placeholder, StringComparison.Ordinal);
            }
        }

        result = PrivateKey().Replace(result, "[secret:private-key]");
        result = AnthropicKey().Replace(result, "[secret:anthropic-key]");
        result = OpenAiKey().Replace(result, "[secret:openai-key]");
        result = GroqKey().Replace(result, "[secret:groq-key]");
        result = AwsAccessKey().Replace(result, "[secret:aws-access-key]");
        result = AwsSecretKey().Replace(result, m => m.Groups[1].Value + "[secret:aws-secret-key]");
        result = GitHubToken().Replace(result, "[secret:github-token]");
        result = Bearer().Replace(result, m => m.Groups[1].Value + "[secret:bearer-token]");
        return string.Equals(result, text, StringComparison.Ordinal) ? text : result;
    }

    /// <summary>Redacts a workspace path, segment by segment, so a secret in a file name never reaches the disk.</summary>
    public string RedactPath(string path)
    {
        var redacted = Redact(path);
        // A placeholder must stay one path segment.
        return ReferenceEquals(redacted, path) ? path : redacted.Replace("[secret:", "secret-", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
    }

    private static string Placeholder(string name) => $"[secret:{name}]";

    [GeneratedRegex("(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PAT)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"sk-ant-[A-Za-z0-9_\-]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex AnthropicKey();

    [GeneratedRegex(@"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"gsk_[A-Za-z0-9]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex GroqKey();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"((?i:aws_?secret_?access_?key|secretaccesskey)[""']?\s*[:=]\s*[""']?)[A-Za-z0-9/+=]{40}", RegexOptions.CultureInvariant)]
    private static partial Regex AwsSecretKey();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"((?i:bearer)\s+)[A-Za-z0-9\-._~+/]{16,}=*", RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();
}
