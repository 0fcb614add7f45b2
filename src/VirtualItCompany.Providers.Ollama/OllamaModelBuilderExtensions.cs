using Microsoft.Extensions.AI;
using OllamaSharp;
using VirtualItCompany.Providers;
using VirtualItCompany.Providers.Ollama;

namespace VirtualItCompany;

/// <summary>Adds models served by a local Ollama to a company.</summary>
public static class OllamaModelBuilderExtensions
{
    private static readonly ProviderDefinition s_ollama = new("Ollama", "ollama", "Ollama", new Uri("http://127.0.0.1:11434/"), KeyVariable: null, KeyRequired: false, "OLLAMA_HOST", OllamaModels.All,
        model => new ModelProfile
        {
            Id = $"ollama/{model}", Provider = "ollama", ModelId = model, Pricing = ModelPricing.Free,
            ContextWindow = 8_192, MaxOutputTokens = 4_096, Capabilities = ModelCapabilities.None,
            QualityTier = 1, TypicalLatency = TimeSpan.FromSeconds(5), IsLocal = true,
        });

    /// <summary>
    /// Adds models served by Ollama (at <c>OLLAMA_HOST</c>, or http://127.0.0.1:11434): Mistral and Code Llama
    /// (<see cref="OllamaModels"/>) unless <see cref="ModelProviderOptions.Models"/> names others. A model without a shipped
    /// profile is registered free and local, with an 8K context and no native tools or JSON schema (set its profile, or
    /// <c>VirtualItCompany:Providers:Ollama:Profiles:&lt;model&gt;:*</c>, to say more).
    /// </summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="configure">Sets the options in code (over <c>VirtualItCompany:Providers:Ollama</c> configuration and <c>OLLAMA_HOST</c>), or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">A model name is blank.</exception>
    public static IVirtualItCompanyBuilder AddOllama(this IVirtualItCompanyBuilder builder, Action<ModelProviderOptions>? configure = null) =>
        ResolvedProvider.Register(builder, s_ollama, configure, CreateClient);

    private static IChatClient CreateClient(ResolvedProvider provider, string model)
    {
        provider.Http.BaseAddress ??= provider.Endpoint;
        return provider.Wrap(new OllamaApiClient(provider.Http, model), model);
    }
}
