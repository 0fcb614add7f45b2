namespace VirtualItCompany.Testing.Conformance;

/// <summary>What a fake provider server answers to the next call, in neutral terms; the adapter's test server encodes it in the provider's wire protocol.</summary>
public abstract record ProviderScript;

/// <summary>An answer: text and/or tool calls, with the usage to report.</summary>
public sealed record ScriptedAnswer : ProviderScript
{
    /// <summary>Gets the answer's text, or <see langword="null"/> for none (tool calls only).</summary>
    public string? Text { get; init; }

    /// <summary>Gets the tool calls to make, in order.</summary>
    public IReadOnlyList<ScriptedToolCall> ToolCalls { get; init; } = [];

    /// <summary>Gets the input (prompt) tokens to report, cached ones included.</summary>
    public int InputTokens { get; init; } = 11;

    /// <summary>Gets the output tokens to report.</summary>
    public int OutputTokens { get; init; } = 7;

    /// <summary>Gets the input tokens read from the provider's cache to report (part of <see cref="InputTokens"/>), for providers that have a cache.</summary>
    public int CachedInputTokens { get; init; }

    /// <summary>Gets whether the model stops with a content-filter refusal instead of finishing normally.</summary>
    public bool Refused { get; init; }

    /// <summary>Gets whether a streamed answer, after its first chunk, waits (without ending) until the client goes away: for cancellation mid-stream.</summary>
    public bool HoldAfterFirstChunk { get; init; }
}

/// <summary>A tool call of a <see cref="ScriptedAnswer"/>.</summary>
/// <param name="Id">The call's id.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="ArgumentsJson">The arguments, as a JSON object.</param>
public sealed record ScriptedToolCall(string Id, string Name, string ArgumentsJson);

/// <summary>A failure, encoded as the provider sends it (status, headers, error body or a broken stream).</summary>
/// <param name="Failure">Which failure.</param>
/// <param name="RetryAfter">The Retry-After to send with a rate limit or overload, if any.</param>
public sealed record ScriptedFailure(ProviderFailure Failure, TimeSpan? RetryAfter = null) : ProviderScript;

/// <summary>The failures every provider adapter must map to the router's <see cref="ModelFailureKind"/>.</summary>
public enum ProviderFailure
{
    /// <summary>HTTP 429 with the provider's rate-limit error (and Retry-After when given).</summary>
    RateLimited,

    /// <summary>The provider's "overloaded" answer (HTTP 529 for Anthropic, 503 for others).</summary>
    Overloaded,

    /// <summary>HTTP 401: the key was refused.</summary>
    Unauthorized,

    /// <summary>The provider does not know the model (HTTP 404, as the provider words it).</summary>
    ModelNotFound,

    /// <summary>The prompt does not fit the context window (HTTP 400, as the provider words it).</summary>
    ContextTooLong,

    /// <summary>HTTP 500 with the provider's error.</summary>
    ServerError,

    /// <summary>An HTML page (HTTP 502 from a proxy) instead of the provider's JSON.</summary>
    HtmlErrorPage,

    /// <summary>A streamed answer cut off after its first chunk: the connection ends before the provider's end of stream.</summary>
    TruncatedStream,
}
