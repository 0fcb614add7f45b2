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
        TimeoutRejectedException => true,
        HttpRequestException http => http.StatusCode is null or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int?)http.StatusCode >= 500,
        TimeoutException => true,
        _ => false,
    };

    /// <summary>Whether to retry on the same model: a transient failure whose Retry-After (if any) is short enough to wait for.</summary>
    public static bool ShouldRetry(Exception? exception, TimeSpan maxRetryAfter) =>
        IsTransient(exception) && !(exception is ModelRateLimitedException { RetryAfter: { } wait } && wait > maxRetryAfter);
}
