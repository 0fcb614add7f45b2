using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using VirtualItCompany.Providers;
using VirtualItCompany.Providers.OpenAI;

namespace VirtualItCompany;

/// <summary>Adds OpenAI, Groq and OpenAI-compatible models to a company.</summary>
public static class OpenAIModelBuilderExtensions
{
    private static readonly ProviderDefinition s_openAI = new("OpenAI", "openai", "OpenAI", new Uri("https://api.openai.com/v1"), "OPENAI_API_KEY", KeyRequired: true, EndpointVariable: null, OpenAIModels.All);

    private static readonly ProviderDefinition s_groq = new("Groq", "groq", "Groq", new Uri("https://api.groq.com/openai/v1"), "GROQ_API_KEY", KeyRequired: true, EndpointVariable: null, GroqModels.All);

    /// <summary>Adds OpenAI's models: GPT-4o mini and GPT-4o (<see cref="OpenAIModels"/>) unless <see cref="ModelProviderOptions.Models"/> names others.</summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="configure">Sets the options in code (over <c>VirtualItCompany:Providers:OpenAI</c> configuration and <c>OPENAI_API_KEY</c>), or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">A model name is blank.</exception>
    /// <remarks>The key is checked when the company's models are first needed (at start): without one, an <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> says where to set it.</remarks>
    public static IVirtualItCompanyBuilder AddOpenAI(this IVirtualItCompanyBuilder builder, Action<ModelProviderOptions>? configure = null) =>
        ResolvedProvider.Register(builder, s_openAI, configure, CreateClient);

    /// <summary>Adds Groq's models: Llama 3.3 70B (<see cref="GroqModels"/>) unless <see cref="ModelProviderOptions.Models"/> names others.</summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="configure">Sets the options in code (over <c>VirtualItCompany:Providers:Groq</c> configuration and <c>GROQ_API_KEY</c>), or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">A model name is blank.</exception>
    public static IVirtualItCompanyBuilder AddGroq(this IVirtualItCompanyBuilder builder, Action<ModelProviderOptions>? configure = null) =>
        ResolvedProvider.Register(builder, s_groq, configure, CreateClient);

    /// <summary>
    /// Adds models served by any endpoint that speaks OpenAI's chat completions API (vLLM, LM Studio, OpenRouter, llama.cpp's
    /// server...). Name the models in <see cref="ModelProviderOptions.Models"/>; a model without a profile in
    /// <see cref="ModelProviderOptions.Profiles"/> is registered as free (tier 1, tools and JSON schema), so give the prices
    /// of a paid service. The key is optional (sent when set).
    /// </summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="baseUrl">The API's base address, such as <c>http://127.0.0.1:1234/v1</c>.</param>
    /// <param name="configure">Sets the options (the models at least); configuration is read from <c>VirtualItCompany:Providers:&lt;name&gt;</c>.</param>
    /// <param name="name">The provider's name in profiles ids (<c>&lt;name&gt;/&lt;model&gt;</c>), messages and configuration.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The address is not absolute http(s), the name is blank, or no model is named.</exception>
    public static IVirtualItCompanyBuilder AddOpenAICompatible(this IVirtualItCompanyBuilder builder, Uri baseUrl, Action<ModelProviderOptions> configure, string name = "openai-compatible")
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The base address '{baseUrl}' is not an absolute http or https address, such as http://127.0.0.1:1234/v1.", nameof(baseUrl));
        }

        string provider = name.ToLowerInvariant();
        var definition = new ProviderDefinition(name, provider, name, baseUrl, KeyVariable: null, KeyRequired: false, EndpointVariable: null, [],
            model => new ModelProfile
            {
                Id = $"{provider}/{model}", Provider = provider, ModelId = model, Pricing = ModelPricing.Free,
                Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema, QualityTier = 1, TypicalLatency = TimeSpan.FromSeconds(3),
            });
        return ResolvedProvider.Register(builder, definition, configure, CreateClient);
    }

    private static IChatClient CreateClient(ResolvedProvider provider, string model)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = provider.Endpoint,
            Transport = new HttpClientPipelineTransport(provider.Http),
            // The router retries (honouring Retry-After) and falls back; the SDK must not retry underneath it.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = provider.Options.NetworkTimeout,
        };
        // An OpenAI-compatible server without keys still gets a credential: the SDK requires one, and the server ignores it.
        var client = new OpenAIClient(new ApiKeyCredential(provider.Options.ApiKey is { Length: > 0 } key ? key : "none"), options);
        return provider.Wrap(client.GetChatClient(model).AsIChatClient(), model, MapSdkFailure);
    }

    private static ModelProviderException? MapSdkFailure(Exception exception, ProviderInfo info, string model) =>
        exception is ClientResultException { Status: > 0 } failure
            ? ProviderErrors.FromStatus(info, model, failure.Status, failure.GetRawResponse()?.Headers.TryGetValue("Content-Type", out var type) == true ? type : null, failure.GetRawResponse()?.Content?.ToString(), null)
            : null;
}
