using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>
/// The default complexity estimate, a cheap heuristic:
/// it starts at 3; adds 1 per size step of the prompt (more than 2 KB, 8 KB, 32 KB and 128 KB of text);
/// adds 1 when tools are offered and 1 more for more than five; adds 1 when a JSON schema is asked for;
/// adds 2 when the last user message speaks of hard work (architecture, design, security, concurrency, migration,
/// optimisation, proofs, root causes); takes 1 off when it asks for routine work (summarise, translate, format,
/// classify, extract, rename, list); and keeps the result within 1-10.
/// </summary>
public sealed class HeuristicComplexityEstimator : IComplexityEstimator
{
    private static readonly string[] HardWords = ["architect", "design", "security", "vulnerab", "concurren", "distributed", "migrat", "optimi", "prove", "proof", "root cause", "trade-off", "tradeoff"];
    private static readonly string[] RoutineWords = ["summar", "translate", "format", "classify", "extract", "rename", "list the", "spell", "typo"];

    /// <summary>Gets the shared instance.</summary>
    public static HeuristicComplexityEstimator Instance { get; } = new();

    /// <inheritdoc/>
    public int Estimate(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        long chars = 0;
        string? lastUser = null;
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var contents = message.Contents;
            for (int j = 0; j < contents.Count; j++)
            {
                if (contents[j] is TextContent text)
                {
                    chars += text.Text?.Length ?? 0;
                }
            }

            if (message.Role == ChatRole.User)
            {
                lastUser = message.Text;
            }
        }

        int score = 3;
        score += chars > 2_048 ? 1 : 0;
        score += chars > 8_192 ? 1 : 0;
        score += chars > 32_768 ? 1 : 0;
        score += chars > 131_072 ? 1 : 0;
        int tools = options?.Tools?.Count ?? 0;
        score += tools > 0 ? 1 : 0;
        score += tools > 5 ? 1 : 0;
        score += options?.ResponseFormat is ChatResponseFormatJson { Schema: not null } ? 1 : 0;
        if (lastUser is { Length: > 0 })
        {
            score += ContainsAny(lastUser, HardWords) ? 2 : 0;
            score -= ContainsAny(lastUser, RoutineWords) ? 1 : 0;
        }

        return Math.Clamp(score, 1, 10);
    }

    private static bool ContainsAny(string text, string[] words)
    {
        foreach (var word in words)
        {
            if (text.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
