using Polly.CircuitBreaker;

namespace VirtualItCompany.Routing;

/// <summary>
/// A model's circuit, as the router sees it when choosing: read through Polly's <see cref="CircuitBreakerStateProvider"/>,
/// with the end of the cool-down kept here, because Polly moves an open circuit to half-open only when a call is tried.
/// </summary>
internal sealed class ModelHealth
{
    private readonly TimeProvider _timeProvider;
    private long _openUntil; // timestamp; 0 while the circuit is closed

    public ModelHealth(TimeProvider timeProvider) => _timeProvider = timeProvider;

    public CircuitBreakerStateProvider StateProvider { get; } = new();

    /// <summary>Whether the model may be offered a call now: closed, half-open, or open with the cool-down over (the call is then the probe).</summary>
    public bool IsAvailable()
    {
        if (Volatile.Read(ref _openUntil) == 0)
        {
            return true;
        }

        return StateProvider.CircuitState switch
        {
            CircuitState.Closed or CircuitState.HalfOpen => true,
            CircuitState.Isolated => false,
            _ => _timeProvider.GetTimestamp() >= Volatile.Read(ref _openUntil),
        };
    }

    public void Opened(TimeSpan breakDuration)
    {
        long ticks = (long)(breakDuration.TotalSeconds * _timeProvider.TimestampFrequency);
        Volatile.Write(ref _openUntil, Math.Max(1, _timeProvider.GetTimestamp() + ticks));
    }

    public void Closed() => Volatile.Write(ref _openUntil, 0);
}
