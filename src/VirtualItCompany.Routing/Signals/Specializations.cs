namespace VirtualItCompany.Routing;

/// <summary>Values of the <see cref="AgentChatTags.Specialization"/> tag the router understands.</summary>
public static class Specializations
{
    /// <summary>Code work: code-capable models (<see cref="ModelCapabilities.Code"/>) are preferred.</summary>
    public const string Code = "code";

    /// <summary>Analysis: strong reasoners (<see cref="ModelCapabilities.Reasoning"/>) are preferred.</summary>
    public const string Analysis = "analysis";

    /// <summary>The capability a specialization prefers.</summary>
    /// <param name="specialization">The specialization, case-insensitive.</param>
    /// <returns><see cref="ModelCapabilities.Code"/>, <see cref="ModelCapabilities.Reasoning"/>, or none for anything else.</returns>
    public static ModelCapabilities PreferredCapability(string? specialization) =>
        string.Equals(specialization, Code, StringComparison.OrdinalIgnoreCase) ? ModelCapabilities.Code
        : string.Equals(specialization, Analysis, StringComparison.OrdinalIgnoreCase) ? ModelCapabilities.Reasoning
        : ModelCapabilities.None;
}
