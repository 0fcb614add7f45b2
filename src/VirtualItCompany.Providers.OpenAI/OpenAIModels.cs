namespace VirtualItCompany.Providers.OpenAI;

/// <summary>The OpenAI models this package ships profiles of: list prices per million tokens (US dollars) as OpenAI publishes them, context windows, output limits, capabilities and typical latencies. Change any value from configuration (<c>VirtualItCompany:Providers:OpenAI:Profiles:&lt;model&gt;:&lt;property&gt;</c>).</summary>
public static class OpenAIModels
{
    /// <summary>Gets GPT-4o mini (<c>openai/gpt-4o-mini</c>).</summary>
    public static ModelProfile Gpt4oMini { get; } = new()
    {
        Id = "openai/gpt-4o-mini", Provider = "openai", ModelId = "gpt-4o-mini", Pricing = new(0.15m, 0.60m, 0.075m),
        ContextWindow = 128_000, MaxOutputTokens = 16_384, Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Vision,
        QualityTier = 2, TypicalLatency = TimeSpan.FromSeconds(1.5),
    };

    /// <summary>Gets GPT-4o (<c>openai/gpt-4o</c>).</summary>
    public static ModelProfile Gpt4o { get; } = new()
    {
        Id = "openai/gpt-4o", Provider = "openai", ModelId = "gpt-4o", Pricing = new(2.50m, 10.00m, 1.25m),
        ContextWindow = 128_000, MaxOutputTokens = 16_384,
        Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Vision | ModelCapabilities.Code | ModelCapabilities.Reasoning,
        QualityTier = 3, TypicalLatency = TimeSpan.FromSeconds(3),
    };

    /// <summary>Gets every shipped OpenAI profile, the models <c>AddOpenAI</c> registers unless told others.</summary>
    public static IReadOnlyList<ModelProfile> All { get; } = [Gpt4oMini, Gpt4o];
}

/// <summary>The Groq models this package ships profiles of (list prices as Groq publishes them). Change any value from configuration (<c>VirtualItCompany:Providers:Groq:Profiles:&lt;model&gt;:&lt;property&gt;</c>).</summary>
public static class GroqModels
{
    /// <summary>Gets Meta's Llama 3.3 70B on Groq (<c>groq/llama</c>).</summary>
    public static ModelProfile Llama { get; } = new()
    {
        Id = "groq/llama", Provider = "groq", ModelId = "llama-3.3-70b-versatile", Pricing = new(0.59m, 0.79m),
        ContextWindow = 131_072, MaxOutputTokens = 32_768, Capabilities = ModelCapabilities.Tools | ModelCapabilities.Code,
        QualityTier = 2, TypicalLatency = TimeSpan.FromSeconds(0.6),
    };

    /// <summary>Gets every shipped Groq profile, the models <c>AddGroq</c> registers unless told others.</summary>
    public static IReadOnlyList<ModelProfile> All { get; } = [Llama];
}
