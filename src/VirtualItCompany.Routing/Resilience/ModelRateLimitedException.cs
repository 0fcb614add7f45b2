namespace VirtualItCompany.Routing;

/// <summary>
/// Thrown by a model adapter when the provider refused the call for rate limits (HTTP 429): the router waits
/// <see cref="RetryAfter"/> (when short enough) and retries, or falls back to the next model.
/// </summary>
public sealed class ModelRateLimitedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelRateLimitedException()
        : this("The model provider is rate-limiting calls.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The provider's message.</param>
    public ModelRateLimitedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The provider's message.</param>
    /// <param name="innerException">The provider's exception.</param>
    public ModelRateLimitedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the wait the provider asked for.</summary>
    /// <param name="retryAfter">The provider's Retry-After, or <see langword="null"/> when it gave none.</param>
    /// <param name="innerException">The provider's exception, if any.</param>
    public ModelRateLimitedException(TimeSpan? retryAfter, Exception? innerException = null)
        : base(retryAfter is { } wait ? $"The model provider is rate-limiting calls; retry after {wait.TotalSeconds:0.###} s." : "The model provider is rate-limiting calls.", innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets how long the provider asked to wait (its Retry-After header), if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
