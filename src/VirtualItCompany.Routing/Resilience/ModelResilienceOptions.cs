namespace VirtualItCompany.Routing;

/// <summary>How the router protects each model: a timeout per attempt, bounded retries honouring Retry-After, and a circuit breaker with a cool-down.</summary>
public sealed class ModelResilienceOptions
{
    /// <summary>Gets or sets the longest one attempt may take (for a streamed call: until its first update).</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how many times a transient failure (429, 5xx, timeout, network) is retried on the same model before falling back; 0 disables retries.</summary>
    /// <value>The default value is 2.</value>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Gets or sets the first retry's delay when the model gives no Retry-After; later ones back off exponentially, with jitter.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest Retry-After the router waits for; a model asking for longer is left for the next candidate at once.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the share of failed calls, within <see cref="SamplingDuration"/>, that opens a model's circuit.</summary>
    /// <value>The default value is 0.5.</value>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many calls must be seen within <see cref="SamplingDuration"/> before the circuit may open.</summary>
    /// <value>The default value is 4.</value>
    public int MinimumThroughput { get; set; } = 4;

    /// <summary>Gets or sets the window over which failures are counted.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the cool-down: how long an open circuit keeps the model out of routing before one probe call is let through.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lists every problem of these options.</summary>
    /// <returns>The problems, as sentences; empty when valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (AttemptTimeout < TimeSpan.FromMilliseconds(10) || AttemptTimeout > TimeSpan.FromHours(24))
        {
            problems.Add($"Resilience.AttemptTimeout is {AttemptTimeout}; it must be 10 ms to 24 hours.");
        }

        if (MaxRetryAttempts is < 0 or > 100)
        {
            problems.Add($"Resilience.MaxRetryAttempts is {MaxRetryAttempts}; it must be 0 to 100.");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromHours(24))
        {
            problems.Add($"Resilience.RetryDelay is {RetryDelay}; it must be zero to 24 hours.");
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            problems.Add($"Resilience.MaxRetryAfter is {MaxRetryAfter}; it must be zero or more.");
        }

        if (FailureRatio is <= 0 or > 1 || double.IsNaN(FailureRatio))
        {
            problems.Add($"Resilience.FailureRatio is {FailureRatio}; it must be more than 0 and at most 1.");
        }

        if (MinimumThroughput < 2)
        {
            problems.Add($"Resilience.MinimumThroughput is {MinimumThroughput}; it must be 2 or more.");
        }

        if (SamplingDuration < TimeSpan.FromMilliseconds(500) || SamplingDuration > TimeSpan.FromDays(1))
        {
            problems.Add($"Resilience.SamplingDuration is {SamplingDuration}; it must be 0.5 seconds to 1 day.");
        }

        if (BreakDuration < TimeSpan.FromMilliseconds(500) || BreakDuration > TimeSpan.FromDays(1))
        {
            problems.Add($"Resilience.BreakDuration is {BreakDuration}; it must be 0.5 seconds to 1 day.");
        }

        return problems;
    }
}
