namespace VirtualItCompany.Providers;

/// <summary>Who a provider adapter talks to, and what a user sets to fix it: used in every message it writes.</summary>
/// <param name="Provider">The provider id in profiles, such as <c>openai</c>.</param>
/// <param name="DisplayName">The provider's name for people, such as <c>OpenAI</c>.</param>
/// <param name="Endpoint">The base address calls go to.</param>
/// <param name="ApiKey">The key, kept only to redact it; <see langword="null"/> for a provider without one.</param>
/// <param name="KeyHint">Where to set the key, such as "OPENAI_API_KEY (or VirtualItCompany:Providers:OpenAI:ApiKey)".</param>
/// <param name="EndpointHint">Where to set the address.</param>
/// <param name="TimeProvider">The clock, for Retry-After dates.</param>
internal sealed record ProviderInfo(string Provider, string DisplayName, Uri Endpoint, string? ApiKey, string KeyHint, string EndpointHint, TimeProvider TimeProvider)
{
    /// <summary>The endpoint as shown in messages: scheme, host and port only (never a user-info part or a query).</summary>
    public string Where => Endpoint.GetLeftPart(UriPartial.Authority);
}
