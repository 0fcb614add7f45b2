namespace VirtualItCompany.Providers.Anthropic;

/// <summary>The Claude models this package ships profiles of: list prices per million tokens (US dollars) as Anthropic publishes them (cached input at the cache-read price), context windows, output limits, capabilities and typical latencies. Change any value from configuration (<c>VirtualItCompany:Providers:Anthropic:Profiles:&lt;model&gt;:&lt;property&gt;</c>).</summary>
public static class AnthropicModels
{
    private const ModelCapabilities Frontier = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Vision | ModelCapabilities.Code;

    /// <summary>Gets Claude Haiku (<c>anthropic/claude-haiku</c>).</summary>
    public static ModelProfile ClaudeHaiku { get; } = new()
    {
        Id = "anthropic/claude-haiku", Provider = "anthropic", ModelId = "claude-haiku-4-5", Pricing = new(1.00m, 5.00m, 0.10m),
        ContextWindow = 200_000, MaxOutputTokens = 64_000, Capabilities = Frontier,
        QualityTier = 2, TypicalLatency = TimeSpan.FromSeconds(1.5),
    };

    /// <summary>Gets Claude Sonnet (<c>anthropic/claude-sonnet</c>).</summary>
    public static ModelProfile ClaudeSonnet { get; } = new()
    {
        Id = "anthropic/claude-sonnet", Provider = "anthropic", ModelId = "claude-sonnet-4-5", Pricing = new(3.00m, 15.00m, 0.30m),
        ContextWindow = 200_000, MaxOutputTokens = 64_000, Capabilities = Frontier | ModelCapabilities.Reasoning,
        QualityTier = 3, TypicalLatency = TimeSpan.FromSeconds(4),
    };

    /// <summary>Gets Claude Opus (<c>anthropic/claude-opus</c>).</summary>
    public static ModelProfile ClaudeOpus { get; } = new()
    {
        Id = "anthropic/claude-opus", Provider = "anthropic", ModelId = "claude-opus-4-1", Pricing = new(15.00m, 75.00m, 1.50m),
        ContextWindow = 200_000, MaxOutputTokens = 32_000, Capabilities = Frontier | ModelCapabilities.Reasoning,
        QualityTier = 4, TypicalLatency = TimeSpan.FromSeconds(8),
    };

    /// <summary>Gets every shipped Claude profile, the models <c>AddAnthropic</c> registers unless told others.</summary>
    public static IReadOnlyList<ModelProfile> All { get; } = [ClaudeHaiku, ClaudeSonnet, ClaudeOpus];
}
