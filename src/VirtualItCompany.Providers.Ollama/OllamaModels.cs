namespace VirtualItCompany.Providers.Ollama;

/// <summary>The Ollama models this package ships profiles of: free and local, with their context windows and capabilities. Change any value from configuration (<c>VirtualItCompany:Providers:Ollama:Profiles:&lt;model&gt;:&lt;property&gt;</c>).</summary>
public static class OllamaModels
{
    /// <summary>Gets Mistral 7B (<c>ollama/mistral</c>).</summary>
    public static ModelProfile Mistral { get; } = new()
    {
        Id = "ollama/mistral", Provider = "ollama", ModelId = "mistral", Pricing = ModelPricing.Free,
        ContextWindow = 32_768, MaxOutputTokens = 4_096, Capabilities = ModelCapabilities.Tools,
        QualityTier = 1, TypicalLatency = TimeSpan.FromSeconds(3), IsLocal = true,
    };

    /// <summary>Gets Code Llama 7B (<c>ollama/codellama</c>).</summary>
    public static ModelProfile CodeLlama { get; } = new()
    {
        Id = "ollama/codellama", Provider = "ollama", ModelId = "codellama", Pricing = ModelPricing.Free,
        ContextWindow = 16_384, MaxOutputTokens = 4_096, Capabilities = ModelCapabilities.Code,
        QualityTier = 1, TypicalLatency = TimeSpan.FromSeconds(3), IsLocal = true,
    };

    /// <summary>Gets every shipped Ollama profile, the models <c>AddOllama</c> registers unless told others.</summary>
    public static IReadOnlyList<ModelProfile> All { get; } = [Mistral, CodeLlama];
}
