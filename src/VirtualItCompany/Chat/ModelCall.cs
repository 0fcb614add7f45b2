namespace VirtualItCompany.Chat;

/// <summary>One metered model call.</summary>
/// <param name="Provider">The provider name.</param>
/// <param name="ModelId">The model that answered.</param>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="Cost">The cost in US dollars.</param>
/// <param name="Duration">How long the call took.</param>
/// <param name="Routing">The router's decision, when the call was routed.</param>
internal readonly record struct ModelCall(string Provider, string ModelId, long InputTokens, long OutputTokens, decimal Cost, TimeSpan Duration, RoutingDecision? Routing);
