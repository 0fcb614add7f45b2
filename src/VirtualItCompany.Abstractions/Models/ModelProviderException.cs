using System.Globalization;

namespace VirtualItCompany;

/// <summary>
/// A model provider failed a call. Provider adapters throw it (in place of their SDK's exceptions) so the router can act
/// the same way for every provider: <see cref="Kind"/> says what happened, <see cref="RetryAfter"/> how long the provider
/// asked to wait, and <see cref="CertainlyNotBilled"/> whether the failed attempt can be released rather than charged.
/// The message names the provider, the model and what to fix; it never holds a key.
/// </summary>
public sealed class ModelProviderException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ModelProviderException()
        : this(ModelFailureKind.Unknown, "unknown", null, "The model provider failed the call.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened and what to fix.</param>
    public ModelProviderException(string message)
        : this(ModelFailureKind.Unknown, "unknown", null, message)
    {
    }

    /// <summary>Creates the exception with a message and the failure it wraps.</summary>
    /// <param name="message">What happened and what to fix.</param>
    /// <param name="innerException">The SDK's exception.</param>
    public ModelProviderException(string message, Exception? innerException)
        : this(ModelFailureKind.Unknown, "unknown", null, message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why the call failed.</param>
    /// <param name="provider">The provider, such as <c>openai</c>.</param>
    /// <param name="model">The model the call was for, if known.</param>
    /// <param name="message">What happened and what to fix; it must not hold a key.</param>
    /// <param name="innerException">The SDK's exception, if it holds no key.</param>
    /// <param name="retryAfter">How long the provider asked to wait (its Retry-After), if it said.</param>
    /// <param name="statusCode">The HTTP status of the provider's answer, if there was one.</param>
    /// <param name="certainlyNotBilled">Whether the attempt certainly cost nothing; <see langword="null"/> to take what <paramref name="kind"/> implies (<see cref="IsNeverBilled"/>).</param>
    public ModelProviderException(ModelFailureKind kind, string provider, string? model, string message, Exception? innerException = null, TimeSpan? retryAfter = null, int? statusCode = null, bool? certainlyNotBilled = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(provider);
        Kind = kind;
        Provider = provider;
        Model = model;
        RetryAfter = retryAfter;
        StatusCode = statusCode;
        CertainlyNotBilled = certainlyNotBilled ?? IsNeverBilled(kind);
    }

    /// <summary>Gets why the call failed.</summary>
    public ModelFailureKind Kind { get; }

    /// <summary>Gets the provider, such as <c>openai</c>, <c>anthropic</c>, <c>ollama</c>.</summary>
    public string Provider { get; }

    /// <summary>Gets the model the call was for, if known.</summary>
    public string? Model { get; }

    /// <summary>Gets how long the provider asked to wait before trying again, if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets the HTTP status of the provider's answer, if there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets whether the attempt certainly cost nothing (the provider refused it before doing any work), so its budget reservation can be released; otherwise it is charged at its reservation.</summary>
    public bool CertainlyNotBilled { get; }

    /// <summary>Gets whether trying again on the same model may succeed (rate limited, overloaded, server error, unreachable, timed out, invalid response); such failures count against the model's health.</summary>
    public bool IsTransient => IsTransientKind(Kind);

    /// <summary>Whether trying again on the same model may succeed after a failure of this kind.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <returns><see langword="true"/> for rate limited, overloaded, server error, unreachable, timeout and invalid response.</returns>
    public static bool IsTransientKind(ModelFailureKind kind) => kind is ModelFailureKind.RateLimited or ModelFailureKind.Overloaded or ModelFailureKind.ServerError
        or ModelFailureKind.Unreachable or ModelFailureKind.Timeout or ModelFailureKind.InvalidResponse;

    /// <summary>Whether a failure of this kind is refused before the model does any work, so it is never billed.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <returns><see langword="true"/> for rate limited, overloaded, unauthorized, model not found, context too long, invalid request and unreachable.</returns>
    public static bool IsNeverBilled(ModelFailureKind kind) => kind is ModelFailureKind.RateLimited or ModelFailureKind.Overloaded or ModelFailureKind.Unauthorized
        or ModelFailureKind.ModelNotFound or ModelFailureKind.ContextTooLong or ModelFailureKind.InvalidRequest or ModelFailureKind.Unreachable;

    /// <summary>Parses an HTTP Retry-After value: seconds, or an HTTP date relative to <paramref name="now"/>.</summary>
    /// <param name="value">The header's value, or <see langword="null"/>.</param>
    /// <param name="now">The current time, for a date value.</param>
    /// <returns>The wait (never negative), or <see langword="null"/> when there is no readable value.</returns>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
