namespace VirtualItCompany.AspNetCore;

/// <summary>How webhooks are stored and delivered; bound from <c>VirtualItCompany:Webhooks</c>.</summary>
public sealed class VirtualItCompanyWebhookOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "VirtualItCompany:Webhooks";

    /// <summary>
    /// Gets or sets the SQLite connection string of the file that keeps subscriptions and the delivery outbox (its own
    /// <c>webhook_*</c> tables; it may be the company's own file); <see langword="null"/> keeps them in memory, lost on restart.
    /// </summary>
    public string? SqliteConnectionString { get; set; }

    /// <summary>Gets or sets how often the dispatcher looks for new events and due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many times a delivery is tried before it is marked failed for good.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Gets or sets the wait before the first retry; each further retry waits twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the longest wait between two tries.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets how long one delivery request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the replay window receivers are told to enforce: a delivery whose signed timestamp is further than this
    /// from the receiver's clock should be refused. The inbound endpoint enforces it on signed calls. Default 5 minutes.
    /// </summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets whether subscription URLs may use plain <c>http</c> (for development and tests); otherwise <c>https</c> is required.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Gets or sets how many subscriptions one client may have.</summary>
    public int MaxSubscriptionsPerClient { get; set; } = 20;

    /// <summary>Lists every problem of these options.</summary>
    /// <returns>The problems, each a sentence a user can act on; empty when valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (SqliteConnectionString is { } connection && string.IsNullOrWhiteSpace(connection))
        {
            problems.Add($"{SectionName}:SqliteConnectionString is blank; set it to a SQLite connection string such as 'Data Source=webhooks.db', or leave it out to keep webhooks in memory.");
        }

        if (PollInterval <= TimeSpan.Zero || FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay || RequestTimeout <= TimeSpan.Zero || ReplayWindow <= TimeSpan.Zero)
        {
            problems.Add($"PollInterval ({PollInterval}), FirstRetryDelay ({FirstRetryDelay}), RequestTimeout ({RequestTimeout}) and ReplayWindow ({ReplayWindow}) must be longer than zero, and MaxRetryDelay ({MaxRetryDelay}) at least FirstRetryDelay ({SectionName}).");
        }

        if (MaxAttempts < 1 || MaxSubscriptionsPerClient < 1)
        {
            problems.Add($"MaxAttempts ({MaxAttempts}) and MaxSubscriptionsPerClient ({MaxSubscriptionsPerClient}) must be 1 or more ({SectionName}).");
        }

        return problems;
    }
}
