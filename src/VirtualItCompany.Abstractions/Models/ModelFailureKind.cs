namespace VirtualItCompany;

/// <summary>
/// Why a model provider failed a call, in terms the router acts on whatever the provider: whether to wait and retry,
/// fall back to another model, open the model's circuit, or tell the user what to fix. Provider adapters map their
/// SDK's errors to these (see <see cref="ModelProviderException"/>).
/// </summary>
public enum ModelFailureKind
{
    /// <summary>Not classified: treated as a possibly billed failure that is not retried on the same model.</summary>
    Unknown = 0,

    /// <summary>The provider is rate-limiting the caller (HTTP 429); <see cref="ModelProviderException.RetryAfter"/> says how long to wait when it said. Retried, counts against the model's health, never billed.</summary>
    RateLimited,

    /// <summary>The provider is overloaded or unavailable (HTTP 529, 503); retried, counts against the model's health, never billed.</summary>
    Overloaded,

    /// <summary>The key is missing, wrong or not allowed to use the model (HTTP 401, 403); never retried, never billed: fix the key.</summary>
    Unauthorized,

    /// <summary>The provider does not know the model (HTTP 404, or an unknown-model error); never retried, never billed: fix the model name.</summary>
    ModelNotFound,

    /// <summary>The prompt and the requested output do not fit the model's context window; not retried on the same model, never billed.</summary>
    ContextTooLong,

    /// <summary>The provider refused the content (a safety or content-policy refusal); not retried on the same model. Billed when the model answered with the refusal.</summary>
    ContentRefused,

    /// <summary>Any other request the provider rejected (HTTP 400, 422); not retried, never billed.</summary>
    InvalidRequest,

    /// <summary>The provider failed on its side (HTTP 500, 502, 504); retried, counts against the model's health, possibly billed.</summary>
    ServerError,

    /// <summary>No connection could be made (refused, DNS, TLS); retried, counts against the model's health, never billed.</summary>
    Unreachable,

    /// <summary>The call timed out after it was sent; retried, counts against the model's health, possibly billed.</summary>
    Timeout,

    /// <summary>The answer was not the provider's protocol (an HTML error page from a proxy, a truncated stream, unreadable JSON); retried, counts against the model's health, possibly billed.</summary>
    InvalidResponse,
}
