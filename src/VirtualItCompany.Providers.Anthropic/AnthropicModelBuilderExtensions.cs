using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;
using VirtualItCompany.Providers;
using VirtualItCompany.Providers.Anthropic;

namespace VirtualItCompany;

/// <summary>Adds Anthropic's Claude models to a company.</summary>
public static class AnthropicModelBuilderExtensions
{
    private static readonly ProviderDefinition s_anthropic = new("Anthropic", "anthropic", "Anthropic", new Uri("https://api.anthropic.com"), "ANTHROPIC_API_KEY", KeyRequired: true, EndpointVariable: null, AnthropicModels.All);

    /// <summary>Adds Claude Haiku, Sonnet and Opus (<see cref="AnthropicModels"/>) unless <see cref="ModelProviderOptions.Models"/> names others, on the official Anthropic SDK.</summary>
    /// <param name="builder">The company builder.</param>
    /// <param name="configure">Sets the options in code (over <c>VirtualItCompany:Providers:Anthropic</c> configuration and <c>ANTHROPIC_API_KEY</c>), or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">A model name is blank.</exception>
    /// <remarks>The key is checked when the company's models are first needed (at start): without one, an <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> says where to set it.</remarks>
    public static IVirtualItCompanyBuilder AddAnthropic(this IVirtualItCompanyBuilder builder, Action<ModelProviderOptions>? configure = null) =>
        ResolvedProvider.Register(builder, s_anthropic, configure, CreateClient);

    private static IChatClient CreateClient(ResolvedProvider provider, string model)
    {
        var client = new AnthropicClient(new ClientOptions
        {
            ApiKey = provider.Options.ApiKey,
            BaseUrl = provider.Endpoint.ToString().TrimEnd('/'),
            HttpClient = provider.Http,
            // The router retries (honouring Retry-After) and falls back; the SDK must not retry underneath it.
            MaxRetries = 0,
            Timeout = provider.Options.NetworkTimeout,
        });
        return provider.Wrap(client.AsIChatClient(model), model, MapSdkFailure);
    }

    /// <summary>Anthropic's errors that the HTTP handler cannot see: an <c>error</c> event in the middle of a stream (overloaded, rate limited).</summary>
    private static ModelProviderException? MapSdkFailure(Exception exception, ProviderInfo info, string model)
    {
        switch (exception)
        {
            case AnthropicSseException sse:
                string type = sse.Body.ValueKind == System.Text.Json.JsonValueKind.Object && sse.Body.TryGetProperty("error", out var error)
                    && error.ValueKind == System.Text.Json.JsonValueKind.Object && error.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
                var kind = type switch
                {
                    "overloaded_error" => ModelFailureKind.Overloaded,
                    "rate_limit_error" => ModelFailureKind.RateLimited,
                    "authentication_error" or "permission_error" => ModelFailureKind.Unauthorized,
                    "not_found_error" => ModelFailureKind.ModelNotFound,
                    "invalid_request_error" => ModelFailureKind.InvalidRequest,
                    _ => ModelFailureKind.ServerError,
                };
                // Sent mid-stream: the model may have produced output already, so it may have been billed.
                return new ModelProviderException(kind, info.Provider, model,
                    $"Anthropic ({info.Where}) broke off the stream of model '{model}' with an error event ({(type.Length > 0 ? type : "unknown")}): {ProviderSecrets.Redact(sse.ApiMessage, info.ApiKey)}",
                    ProviderErrors.Keep(sse, info), certainlyNotBilled: false);
            case AnthropicApiException api:
                return ProviderErrors.FromStatus(info, model, (int)api.StatusCode, "application/json", api.ResponseBody, null);
            case AnthropicInvalidDataException invalid:
                return ProviderErrors.InvalidResponse(info, model, "an answer that could not be read", invalid);
            case AnthropicIOException io:
                return io.InnerException is HttpRequestException http && ProviderErrors.IsConnectionFailure(http)
                    ? ProviderErrors.Unreachable(info, model, io, "the connection was refused or failed")
                    : ProviderErrors.InvalidResponse(info, model, "a connection that broke mid-answer", io);
            default:
                return null;
        }
    }
}
