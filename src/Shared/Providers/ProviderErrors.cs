using System.Net;
using System.Text.Json;

namespace VirtualItCompany.Providers;

/// <summary>Classifies a provider's HTTP failure into a <see cref="ModelProviderException"/> whose message says what to fix.</summary>
internal static class ProviderErrors
{
    public static ModelProviderException FromStatus(ProviderInfo info, string? model, int status, string? mediaType, string? body, TimeSpan? retryAfter)
    {
        string detail = ApiMessage(mediaType, body, info.ApiKey);
        bool html = IsHtml(mediaType, body);
        string said = html
            ? $"It answered with an HTML page, not the {info.DisplayName} API: check that {info.EndpointHint} points at the API (currently {info.Where})."
            : detail.Length > 0 ? $"It said: {detail}" : "";
        string lower = (body ?? "").ToLowerInvariant();
        string who = $"{info.DisplayName} ({info.Where}) refused the call to model '{model ?? "?"}' with HTTP {status}";
        var (kind, fix) = status switch
        {
            401 or 403 => (ModelFailureKind.Unauthorized, $"The key was not accepted: set a valid key in {info.KeyHint}."),
            404 => (ModelFailureKind.ModelNotFound, $"Check the model name (the provider does not serve '{model ?? "?"}' there) and the address in {info.EndpointHint}."),
            429 => (ModelFailureKind.RateLimited, retryAfter is { } wait ? $"Rate limited: retry after {wait.TotalSeconds:0.###} s." : "Rate limited."),
            529 or 503 => (ModelFailureKind.Overloaded, "The provider is overloaded; try again later or use another model."),
            400 or 413 or 422 when IsContextTooLong(lower) => (ModelFailureKind.ContextTooLong, "The prompt and output do not fit the model's context window; use a model with a larger one or send less."),
            400 or 422 when IsModelNotFound(lower) => (ModelFailureKind.ModelNotFound, $"Check the model name: the provider does not serve '{model ?? "?"}'."),
            400 or 422 when IsContentRefused(lower) => (ModelFailureKind.ContentRefused, "The provider refused the content under its usage policy."),
            >= 400 and < 500 => (ModelFailureKind.InvalidRequest, "The provider rejected the request."),
            _ => (ModelFailureKind.ServerError, "The provider failed on its side; it may work again shortly."),
        };
        if (html && status is >= 200 and < 300)
        {
            kind = ModelFailureKind.InvalidResponse;
        }

        string message = $"{who}. {fix} {said}".TrimEnd();
        return new ModelProviderException(kind, info.Provider, model, message, retryAfter: retryAfter, statusCode: status);
    }

    public static ModelProviderException Unreachable(ProviderInfo info, string? model, Exception? inner, string reason) =>
        new(ModelFailureKind.Unreachable, info.Provider, model,
            $"{info.DisplayName} could not be reached at {info.Where} for model '{model ?? "?"}' ({ProviderSecrets.Redact(reason, info.ApiKey)}). Check that it is running and that {info.EndpointHint} is right.",
            Keep(inner, info));

    public static ModelProviderException TimedOut(ProviderInfo info, string? model, Exception? inner) =>
        new(ModelFailureKind.Timeout, info.Provider, model, $"{info.DisplayName} ({info.Where}) did not answer the call to model '{model ?? "?"}' in time.", Keep(inner, info));

    public static ModelProviderException InvalidResponse(ProviderInfo info, string? model, string what, Exception? inner = null) =>
        new(ModelFailureKind.InvalidResponse, info.Provider, model, $"{info.DisplayName} ({info.Where}) answered the call to model '{model ?? "?"}' with {what}, not its protocol. Check that {info.EndpointHint} points at the {info.DisplayName} API.", Keep(inner, info));

    public static ModelProviderException Truncated(ProviderInfo info, string? model) =>
        new(ModelFailureKind.InvalidResponse, info.Provider, model, $"{info.DisplayName} ({info.Where}) ended the streamed answer of model '{model ?? "?"}' before finishing it (truncated: no end of stream). The provider or a proxy in between cut it off; it is retried, and a model that keeps doing it is taken out of rotation.");

    public static ModelProviderException ContentRefused(ProviderInfo info, string? model) =>
        new(ModelFailureKind.ContentRefused, info.Provider, model, $"{info.DisplayName} model '{model ?? "?"}' refused to answer (its content filter stopped the response). The refusal was billed; rephrase the request or use another model.", certainlyNotBilled: false);

    public static ModelProviderException Unknown(ProviderInfo info, string? model, Exception inner) =>
        new(ModelFailureKind.Unknown, info.Provider, model, $"The call to {info.DisplayName} ({info.Where}) model '{model ?? "?"}' failed: {inner.GetType().Name}: {ProviderSecrets.Redact(inner.Message, info.ApiKey)}", Keep(inner, info));

    /// <summary>Re-states a failure the handler classified with the model the call was for.</summary>
    public static ModelProviderException WithModel(ModelProviderException failure, string? model, ProviderInfo info) =>
        failure.Model is not null || model is null ? failure
            : new ModelProviderException(failure.Kind, failure.Provider, model, failure.Message.Replace("model '?'", $"model '{model}'", StringComparison.Ordinal), Keep(failure.InnerException, info), failure.RetryAfter, failure.StatusCode, failure.CertainlyNotBilled);

    /// <summary>The SDK's exception as the inner one, unless anything in it shows the key.</summary>
    public static Exception? Keep(Exception? inner, ProviderInfo info) => inner is null || ProviderSecrets.Holds(inner.ToString(), info.ApiKey) ? null : inner;

    public static bool IsHtml(string? mediaType, string? body) =>
        (mediaType?.Contains("html", StringComparison.OrdinalIgnoreCase) ?? false)
        || (body?.TrimStart().StartsWith('<') ?? false);

    private static bool IsContextTooLong(string body) =>
        body.Contains("context_length_exceeded", StringComparison.Ordinal) || body.Contains("context length", StringComparison.Ordinal)
        || body.Contains("prompt is too long", StringComparison.Ordinal) || body.Contains("context window", StringComparison.Ordinal)
        || body.Contains("too many tokens", StringComparison.Ordinal) || body.Contains("maximum context", StringComparison.Ordinal);

    private static bool IsModelNotFound(string body) =>
        body.Contains("model_not_found", StringComparison.Ordinal) || (body.Contains("model", StringComparison.Ordinal) && body.Contains("not found", StringComparison.Ordinal))
        || body.Contains("does not exist", StringComparison.Ordinal);

    private static bool IsContentRefused(string body) =>
        body.Contains("content_policy", StringComparison.Ordinal) || body.Contains("content_filter", StringComparison.Ordinal) || body.Contains("safety", StringComparison.Ordinal);

    /// <summary>The provider's own explanation (error.message, or error as a string), redacted and shortened.</summary>
    private static string ApiMessage(string? mediaType, string? body, string? key)
    {
        if (string.IsNullOrWhiteSpace(body) || IsHtml(mediaType, body))
        {
            return "";
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return ProviderSecrets.Redact(error.GetString(), key);
                }

                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return ProviderSecrets.Redact(message.GetString(), key);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the body itself, shortened.
        }

        return ProviderSecrets.Redact(body, key);
    }

    public static bool IsConnectionFailure(HttpRequestException exception) =>
        exception.StatusCode is null && exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    public static int? StatusOf(HttpStatusCode? code) => code is { } c ? (int)c : null;
}
