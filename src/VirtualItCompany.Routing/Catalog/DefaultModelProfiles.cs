namespace VirtualItCompany.Routing;

/// <summary>The shipped profiles: list prices per million tokens as published by each provider (US dollars), context windows, output limits, capabilities and typical latencies.</summary>
internal static class DefaultModelProfiles
{
    private const ModelCapabilities Frontier = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Vision | ModelCapabilities.Code;

    public static IReadOnlyList<ModelProfile> All { get; } =
    [
        new()
        {
            Id = DefaultModelIds.OllamaMistral, Provider = "ollama", ModelId = "mistral", Pricing = ModelPricing.Free,
            ContextWindow = 32_768, MaxOutputTokens = 4_096, Capabilities = ModelCapabilities.Tools,
            QualityTier = 1, TypicalLatency = TimeSpan.FromSeconds(3), IsLocal = true,
        },
        new()
        {
            Id = DefaultModelIds.OllamaCodeLlama, Provider = "ollama", ModelId = "codellama", Pricing = ModelPricing.Free,
            ContextWindow = 16_384, MaxOutputTokens = 4_096, Capabilities = ModelCapabilities.Code,
            QualityTier = 1, TypicalLatency = TimeSpan.FromSeconds(3), IsLocal = true,
        },
        new()
        {
            Id = DefaultModelIds.ClaudeHaiku, Provider = "anthropic", ModelId = "claude-haiku-4-5", Pricing = new(1.00m, 5.00m, 0.10m),
            ContextWindow = 200_000, MaxOutputTokens = 64_000, Capabilities = Frontier,
            QualityTier = 2, TypicalLatency = TimeSpan.FromSeconds(1.5),
        },
        new()
        {
            Id = DefaultModelIds.ClaudeSonnet, Provider = "anthropic", ModelId = "claude-sonnet-4-5", Pricing = new(3.00m, 15.00m, 0.30m),
            ContextWindow = 200_000, MaxOutputTokens = 64_000, Capabilities = Frontier | ModelCapabilities.Reasoning,
            QualityTier = 3, TypicalLatency = TimeSpan.FromSeconds(4),
        },
        new()
        {
            Id = DefaultModelIds.ClaudeOpus, Provider = "anthropic", ModelId = "claude-opus-4-1", Pricing = new(15.00m, 75.00m, 1.50m),
            ContextWindow = 200_000, MaxOutputTokens = 32_000, Capabilities = Frontier | ModelCapabilities.Reasoning,
            QualityTier = 4, TypicalLatency = TimeSpan.FromSeconds(8),
        },
        new()
        {
            Id = DefaultModelIds.Gpt4oMini, Provider = "openai", ModelId = "gpt-4o-mini", Pricing = new(0.15m, 0.60m, 0.075m),
            ContextWindow = 128_000, MaxOutputTokens = 16_384, Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Vision,
            QualityTier = 2, TypicalLatency = TimeSpan.FromSeconds(1.5),
        },
        new()
        {
            Id = DefaultModelIds.Gpt4o, Provider = "openai", ModelId = "gpt-4o", Pricing = new(2.50m, 10.00m, 1.25m),
            ContextWindow = 128_000, MaxOutputTokens = 16_384, Capabilities = Frontier | ModelCapabilities.Reasoning,
            QualityTier = 3, TypicalLatency = TimeSpan.FromSeconds(3),
        },
        new()
        {
            Id = DefaultModelIds.GroqLlama, Provider = "groq", ModelId = "llama-3.3-70b-versatile", Pricing = new(0.59m, 0.79m),
            ContextWindow = 131_072, MaxOutputTokens = 32_768, Capabilities = ModelCapabilities.Tools | ModelCapabilities.Code,
            QualityTier = 2, TypicalLatency = TimeSpan.FromSeconds(0.6),
        },
    ];
}
