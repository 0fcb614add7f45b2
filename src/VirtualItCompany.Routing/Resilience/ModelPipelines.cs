using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace VirtualItCompany.Routing;

/// <summary>Builds a model's resilience pipeline: retry (outermost, honouring Retry-After), circuit breaker, then a timeout per attempt.</summary>
internal static class ModelPipelines
{
    /// <summary>
    /// Counts one failure against the model's circuit: a call that produced more output than was reserved. The
    /// breaker only learns from outcomes, so a marker outcome is sent through the pipeline (no model is called).
    /// </summary>
    public static async ValueTask ReportExceededReservationAsync(ResiliencePipeline pipeline)
    {
        try
        {
            await pipeline.ExecuteAsync(static _ => ValueTask.FromResult<object>(ExceededReservation.Instance), CancellationToken.None).ConfigureAwait(false);
        }
        catch (BrokenCircuitException)
        {
            // Already open: nothing more to count.
        }
    }

    public static ResiliencePipeline Create(ModelResilienceOptions options, ModelHealth health, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            TimeSpan maxRetryAfter = options.MaxRetryAfter;
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(TransientFailures.ShouldRetry(args.Outcome.Exception, maxRetryAfter)),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(TransientFailures.RetryAfterOf(args.Outcome.Exception)),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            StateProvider = health.StateProvider,
            ShouldHandle = static args => new ValueTask<bool>(TransientFailures.IsTransient(args.Outcome.Exception) || args.Outcome.Result is ExceededReservation),
            OnOpened = args =>
            {
                health.Opened(args.BreakDuration);
                return default;
            },
            OnClosed = _ =>
            {
                health.Closed();
                return default;
            },
        });
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout });
        return builder.Build();
    }
}

/// <summary>The marker outcome by which a call that exceeded its reservation counts as a failure of the model's health.</summary>
internal sealed class ExceededReservation
{
    public static readonly ExceededReservation Instance = new();

    private ExceededReservation()
    {
    }
}
