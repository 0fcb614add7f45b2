using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace VirtualItCompany.Routing;

/// <summary>Builds a model's resilience pipeline: retry (outermost, honouring Retry-After), circuit breaker, then a timeout per attempt.</summary>
internal static class ModelPipelines
{
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
                DelayGenerator = static args => new ValueTask<TimeSpan?>(args.Outcome.Exception is ModelRateLimitedException { RetryAfter: { } wait } ? wait : null),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            StateProvider = health.StateProvider,
            ShouldHandle = static args => new ValueTask<bool>(TransientFailures.IsTransient(args.Outcome.Exception)),
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
