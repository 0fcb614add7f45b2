using System.Globalization;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>The agent tags of one call (<see cref="AgentChatTags"/>), read from <c>ChatOptions.AdditionalProperties</c>.</summary>
internal readonly record struct CallTags(string? ProjectId, decimal? BudgetLimit, decimal? BudgetSpent, int? Complexity, int Attempt, bool LatencyCritical, string? Specialization)
{
    public static CallTags Read(ChatOptions? options)
    {
        var tags = options?.AdditionalProperties;
        if (tags is null || tags.Count == 0)
        {
            return default;
        }

        int? complexity = null;
        if (tags.TryGetValue(AgentChatTags.Complexity, out object? value) && value is not null)
        {
            int c = ToInt(value, AgentChatTags.Complexity);
            if (c is < 1 or > 10)
            {
                throw new ArgumentOutOfRangeException(nameof(options), c, $"The call's complexity ({AgentChatTags.Complexity}) is {c}; it must be 1 (trivial) to 10 (hardest).");
            }

            complexity = c;
        }

        int attempt = tags.TryGetValue(AgentChatTags.Attempt, out value) && value is not null ? ToInt(value, AgentChatTags.Attempt) : 0;
        decimal? limit = tags.TryGetValue(AgentChatTags.BudgetLimit, out value) && value is not null ? ToDecimal(value, AgentChatTags.BudgetLimit) : null;
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), limit, $"The call's budget ({AgentChatTags.BudgetLimit}) is {limit}; a budget must be zero (free models only) or more.");
        }

        decimal? spent = tags.TryGetValue(AgentChatTags.BudgetSpent, out value) && value is not null ? ToDecimal(value, AgentChatTags.BudgetSpent) : null;
        if (spent < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), spent, $"The call's spend ({AgentChatTags.BudgetSpent}) is {spent}; it cannot be negative.");
        }

        bool latency = tags.TryGetValue(AgentChatTags.LatencyCritical, out value) && value is true or "true" or "True";
        string? specialization = tags.TryGetValue(AgentChatTags.Specialization, out value) ? value as string : null;
        string? project = tags.TryGetValue(AgentChatTags.ProjectId, out value) ? value?.ToString() : null;
        return new CallTags(string.IsNullOrWhiteSpace(project) ? null : project, limit, spent, complexity, attempt, latency, specialization);
    }

    private static int ToInt(object value, string tag) => value switch
    {
        int i => i,
        long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
        short s => s,
        byte b => b,
        string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) => i,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e when e.TryGetInt32(out int i) => i,
        _ => throw new ArgumentException($"The call's tag {tag} holds '{value}' ({value.GetType().Name}); it must be a whole number.", nameof(value)),
    };

    private static decimal ToDecimal(object value, string tag) => value switch
    {
        decimal d => d,
        double d when double.IsFinite(d) => (decimal)d,
        float f when float.IsFinite(f) => (decimal)f,
        int i => i,
        long l => l,
        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal d) => d,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e when e.TryGetDecimal(out decimal d) => d,
        _ => throw new ArgumentException($"The call's tag {tag} holds '{value}' ({value.GetType().Name}); it must be an amount in US dollars.", nameof(value)),
    };
}
