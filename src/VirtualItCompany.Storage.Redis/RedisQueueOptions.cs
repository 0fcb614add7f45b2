using StackExchange.Redis;

namespace VirtualItCompany.Storage.Redis;

/// <summary>How the work queue reaches Redis and how its stream behaves; bound from <c>VirtualItCompany:Storage:Redis</c>.</summary>
public sealed class RedisQueueOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "VirtualItCompany:Storage:Redis";

    /// <summary>Gets or sets the StackExchange.Redis configuration string, such as <c>localhost:6379</c> or <c>redis1:6379,password=...,ssl=true</c>.</summary>
    /// <value>The default value is <see langword="null"/>: it must be set here or in configuration.</value>
    public string? Configuration { get; set; }

    /// <summary>Gets or sets the prefix of every key the queue uses (<c>{prefix}:work</c>, <c>{prefix}:work:delayed</c>, <c>{prefix}:work:dead</c>...), so that several companies can share one Redis.</summary>
    /// <value>The default value is <c>vic</c>.</value>
    public string KeyPrefix { get; set; } = "vic";

    /// <summary>Gets or sets the consumer group every worker of the company reads the stream in.</summary>
    /// <value>The default value is <c>workers</c>.</value>
    public string ConsumerGroup { get; set; } = "workers";

    /// <summary>Gets or sets the outbox topic the store's commits write work messages to, which the relay moves to the stream.</summary>
    /// <value>The default value is <c>redis-work</c>.</value>
    public string OutboxTopic { get; set; } = "redis-work";

    /// <summary>Gets or sets how many times Redis may deliver an entry without its item being committed before the entry is moved aside to <c>{prefix}:work:dead</c> (poison item) with an error log.</summary>
    /// <value>The default value is 10.</value>
    public int MaxDeliveries { get; set; } = 10;

    /// <summary>
    /// Gets or sets how long an entry must have been idle (delivered and neither acknowledged nor renewed) before another worker claims it
    /// (<c>XAUTOCLAIM</c>) and asks the store whether its lease lapsed; <see langword="null"/> for the lease duration of the asking worker.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the worker's lease duration.</value>
    public TimeSpan? ClaimMinIdle { get; set; }

    /// <summary>Gets or sets how many entries one read or claim takes from the stream.</summary>
    /// <value>The default value is 16.</value>
    public int ReadBatchSize { get; set; } = 16;

    /// <summary>Gets or sets how many outbox messages one relay pass moves to the stream.</summary>
    /// <value>The default value is 256.</value>
    public int RelayBatchSize { get; set; } = 256;

    /// <summary>Gets or sets how often the background relay looks for outbox messages that no commit relayed at once (a Redis fault, another process) and trims the stream.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RelayInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how often a Redis call that failed with a transient fault (connection lost, time-out) is retried, with exponential backoff, before the queue falls back to leasing from the store directly.</summary>
    /// <value>The default value is 3.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the first retry's delay; each further retry waits about twice as long.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Lists what is wrong with the options, every problem at once (empty when they are usable).</summary>
    /// <returns>The problems, each a sentence that says what to do.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Configuration))
        {
            problems.Add($"Configuration is not set. Set {SectionName}:Configuration to the Redis server, such as \"localhost:6379\", or pass it to UseRedisQueue(\"localhost:6379\").");
        }
        else
        {
            try
            {
                var parsed = ConfigurationOptions.Parse(Configuration);
                if (parsed.EndPoints.Count == 0)
                {
                    problems.Add($"Configuration \"{Redact(Configuration)}\" names no Redis server; write it as \"host:port\", such as \"localhost:6379\".");
                }
            }
            catch (ArgumentException ex)
            {
                problems.Add($"Configuration \"{Redact(Configuration)}\" is not a valid StackExchange.Redis configuration string ({ex.Message}); write it as \"host:port[,option=value...]\", such as \"localhost:6379,abortConnect=false\".");
            }
        }

        CheckName(problems, nameof(KeyPrefix), KeyPrefix);
        CheckName(problems, nameof(ConsumerGroup), ConsumerGroup);
        CheckName(problems, nameof(OutboxTopic), OutboxTopic);
        if (MaxDeliveries < 1)
        {
            problems.Add($"MaxDeliveries is {MaxDeliveries}; it must be 1 or more (the default is 10).");
        }

        if (ClaimMinIdle is { } idle && idle < TimeSpan.Zero)
        {
            problems.Add($"ClaimMinIdle is {idle}; it must be zero or more, or unset for the lease duration.");
        }

        if (ReadBatchSize is < 1 or > 1000)
        {
            problems.Add($"ReadBatchSize is {ReadBatchSize}; it must be between 1 and 1000 (the default is 16).");
        }

        if (RelayBatchSize is < 1 or > 10_000)
        {
            problems.Add($"RelayBatchSize is {RelayBatchSize}; it must be between 1 and 10000 (the default is 256).");
        }

        if (RelayInterval <= TimeSpan.Zero || RelayInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"RelayInterval is {RelayInterval}; it must be more than zero and at most 01:00:00 (the default is 00:00:01).");
        }

        if (MaxRetryAttempts is < 0 or > 100)
        {
            problems.Add($"MaxRetryAttempts is {MaxRetryAttempts}; it must be between 0 and 100 (the default is 3).");
        }

        if (RetryBaseDelay <= TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            problems.Add($"RetryBaseDelay is {RetryBaseDelay}; it must be more than zero and at most 00:01:00 (the default is 00:00:00.1).");
        }

        return problems;
    }

    /// <summary>Hides a password in a configuration string, for messages.</summary>
    internal static string Redact(string configuration) =>
        System.Text.RegularExpressions.Regex.Replace(configuration, "(password|user)=[^,]*", "$1=***", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static void CheckName(List<string> problems, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
        {
            problems.Add($"{name} is \"{value}\"; it must be a non-empty name without spaces.");
        }
    }
}
