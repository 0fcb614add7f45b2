namespace VirtualItCompany.Routing.Tests;

/// <summary>Catalog ids of the test models (test data shaped like real vendors' models; the router ships none).</summary>
internal static class TestIds
{
    public const string OllamaMistral = "ollama/mistral";
    public const string OllamaCodeLlama = "ollama/codellama";
    public const string ClaudeHaiku = "anthropic/claude-haiku";
    public const string ClaudeSonnet = "anthropic/claude-sonnet";
    public const string ClaudeOpus = "anthropic/claude-opus";
    public const string Gpt4oMini = "openai/gpt-4o-mini";
    public const string Gpt4o = "openai/gpt-4o";
    public const string GroqLlama = "groq/llama";
}

/// <summary>Eight test profiles spanning the tiers (free local, cheap, mid, premium), and the fixed matrix many tests route through.</summary>
internal static class TestCatalog
{
    private const ModelCapabilities Frontier = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Vision | ModelCapabilities.Code;

    public static ModelCatalog Profiles { get; } = new(
    [
        new() { Id = TestIds.OllamaMistral, Provider = "ollama", ModelId = "mistral", Pricing = ModelPricing.Free, ContextWindow = 32_768, MaxOutputTokens = 4_096, Capabilities = ModelCapabilities.Tools, QualityTier = 1, TypicalLatency = TimeSpan.FromSeconds(3), IsLocal = true },
        new() { Id = TestIds.OllamaCodeLlama, Provider = "ollama", ModelId = "codellama", Pricing = ModelPricing.Free, ContextWindow = 16_384, MaxOutputTokens = 4_096, Capabilities = ModelCapabilities.Code, QualityTier = 1, TypicalLatency = TimeSpan.FromSeconds(3), IsLocal = true },
        new() { Id = TestIds.ClaudeHaiku, Provider = "anthropic", ModelId = "claude-haiku-4-5", Pricing = new(1.00m, 5.00m, 0.10m), ContextWindow = 200_000, MaxOutputTokens = 64_000, Capabilities = Frontier, QualityTier = 2, TypicalLatency = TimeSpan.FromSeconds(1.5) },
        new() { Id = TestIds.ClaudeSonnet, Provider = "anthropic", ModelId = "claude-sonnet-4-5", Pricing = new(3.00m, 15.00m, 0.30m), ContextWindow = 200_000, MaxOutputTokens = 64_000, Capabilities = Frontier | ModelCapabilities.Reasoning, QualityTier = 3, TypicalLatency = TimeSpan.FromSeconds(4) },
        new() { Id = TestIds.ClaudeOpus, Provider = "anthropic", ModelId = "claude-opus-4-1", Pricing = new(15.00m, 75.00m, 1.50m), ContextWindow = 200_000, MaxOutputTokens = 32_000, Capabilities = Frontier | ModelCapabilities.Reasoning, QualityTier = 4, TypicalLatency = TimeSpan.FromSeconds(8) },
        new() { Id = TestIds.Gpt4oMini, Provider = "openai", ModelId = "gpt-4o-mini", Pricing = new(0.15m, 0.60m, 0.075m), ContextWindow = 128_000, MaxOutputTokens = 16_384, Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Vision, QualityTier = 2, TypicalLatency = TimeSpan.FromSeconds(1.5) },
        new() { Id = TestIds.Gpt4o, Provider = "openai", ModelId = "gpt-4o", Pricing = new(2.50m, 10.00m, 1.25m), ContextWindow = 128_000, MaxOutputTokens = 16_384, Capabilities = Frontier | ModelCapabilities.Reasoning, QualityTier = 3, TypicalLatency = TimeSpan.FromSeconds(3) },
        new() { Id = TestIds.GroqLlama, Provider = "groq", ModelId = "llama-3.3-70b-versatile", Pricing = new(0.59m, 0.79m), ContextWindow = 131_072, MaxOutputTokens = 32_768, Capabilities = ModelCapabilities.Tools | ModelCapabilities.Code, QualityTier = 2, TypicalLatency = TimeSpan.FromSeconds(0.6) },
    ]);

    /// <summary>A fixed three-band matrix over the test models: 1-3 local then Haiku; 4-7 Sonnet then GPT-4o mini; 8-10 Opus then GPT-4o.</summary>
    public static IReadOnlyList<RoutingBand> Matrix() =>
    [
        new() { MinComplexity = 1, MaxComplexity = 3, Models = [TestIds.OllamaMistral, TestIds.OllamaCodeLlama, TestIds.ClaudeHaiku] },
        new() { MinComplexity = 4, MaxComplexity = 7, Models = [TestIds.ClaudeSonnet, TestIds.Gpt4oMini] },
        new() { MinComplexity = 8, MaxComplexity = 10, Models = [TestIds.ClaudeOpus, TestIds.Gpt4o] },
    ];
}
