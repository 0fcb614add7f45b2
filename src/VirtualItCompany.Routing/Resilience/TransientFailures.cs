using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace VirtualItCompany.Routing;

/// <summary>Which failures are worth retrying on the same model and count against its health.</summary>
internal static class TransientFailures
{
    public static bool IsTransient(Exception? exception) => exception switch
    {
        null or OperationCanceledException => false,
        BrokenCircuitException => false,
        ModelRateLimitedException => true,
        ModelProviderException provider => provider.IsTransient,
        TimeoutRejectedException => true,
        HttpRequestException http => http.StatusCode is null or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int?)http.StatusCode >= 500,
        TimeoutException => true,
        _ => false,
    };

    /// <summary>Whether to retry on the same model: a transient failure whose Retry-After (if any) is short enough to wait for.</summary>
    public static bool ShouldRetry(Exception? exception, TimeSpan maxRetryAfter) =>
        IsTransient(exception) && !(RetryAfterOf(exception) is { } wait && wait > maxRetryAfter);

    /// <summary>How long the provider asked to wait before a retry (its Retry-After), when it said.</summary>
    public static TimeSpan? RetryAfterOf(Exception? exception) => exception switch
    {
        ModelRateLimitedException { RetryAfter: { } wait } => wait,
        ModelProviderException { RetryAfter: { } wait } => wait,
        _ => null,
    };

    /// <summary>
    /// Whether a failed attempt certainly cost nothing: the request was refused before the model did any work (open
    /// circuit, rate limited, not authorized or forbidden, no connection made, or a provider adapter's
    /// <see cref="ModelProviderException"/> that says so). Any other failure (a timeout,
    /// cancellation mid-call, 5xx, a broken stream, an unknown exception) may have been billed, so the router charges it
    /// at its reservation rather than risk under-counting spend.
    /// </summary>
    public static bool CertainlyNotBilled(Exception? exception) => exception switch
    {
        BrokenCircuitException or ModelRateLimitedException => true,
        ModelProviderException provider => provider.CertainlyNotBilled,
        BudgetExhaustedException => true,
        HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } => true,
        HttpRequestException { StatusCode: null, HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } => true,
        _ => false,
    };
}
