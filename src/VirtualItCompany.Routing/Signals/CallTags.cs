using System.Globalization;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>The routing hints of one call (<see cref="AgentChatTags"/>), read from <c>ChatOptions.AdditionalProperties</c>; the project and budget come from <see cref="ModelCallContext"/> and the <see cref="IBudgetAccount"/>.</summary>
internal readonly record struct CallTags(int? Complexity, int Attempt, bool LatencyCritical, string? Specialization)
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
        bool latency = tags.TryGetValue(AgentChatTags.LatencyCritical, out value) && value is true or "true" or "True";
        string? specialization = tags.TryGetValue(AgentChatTags.Specialization, out value) ? value as string : null;
        return new CallTags(complexity, attempt, latency, specialization);
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
}
