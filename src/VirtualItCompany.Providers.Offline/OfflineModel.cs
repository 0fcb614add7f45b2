using Microsoft.Extensions.AI;

namespace VirtualItCompany.Providers.Offline;

/// <summary>Creates the offline model: a deterministic stand-in for a language model, clearly labelled "no AI".</summary>
/// <remarks>
/// The offline model reads what a real model reads (the prompts' labelled sections, the structured-output
/// schema and the tools offered) and answers each built-in role with valid structured output and file tool
/// calls that produce a small, real ASP.NET Core service with tests. It does not think: use a real provider for real work.
/// </remarks>
public static class OfflineModel
{
    /// <summary>The model id every response carries.</summary>
    public const string ModelId = "offline-no-ai";

    /// <summary>The provider name in the client's <see cref="ChatClientMetadata"/>.</summary>
    public const string ProviderName = "offline (no AI)";

    /// <summary>Gets the offline model's profile: free, local, every capability, tier 1, catalog id <c>offline/offline-no-ai</c>.</summary>
    public static ModelProfile Profile { get; } = new()
    {
        Id = "offline/" + ModelId,
        Provider = ProviderName,
        ModelId = ModelId,
        Pricing = ModelPricing.Free,
        ContextWindow = 1_000_000,
        MaxOutputTokens = 100_000,
        Capabilities = ModelCapabilities.Tools | ModelCapabilities.JsonSchema | ModelCapabilities.Code | ModelCapabilities.Reasoning,
        QualityTier = 1,
        TypicalLatency = TimeSpan.Zero,
        IsLocal = true,
    };

    /// <summary>Creates an offline chat client, for use without dependency injection.</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The client.</returns>
    /// <exception cref="ArgumentException">The options are not valid; every problem is listed.</exception>
    public static IChatClient CreateChatClient(OfflineModelOptions? options = null)
    {
        options ??= new OfflineModelOptions();
        options.Validate();
        return new OfflineChatClient(options);
    }
}
