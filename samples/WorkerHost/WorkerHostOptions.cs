using VirtualItCompany;

namespace WorkerHost;

/// <summary>The worker host's own settings (section <c>WorkerHost</c>); the company's are under <c>VirtualItCompany</c>.</summary>
internal sealed class WorkerHostOptions
{
    public const string SectionName = "WorkerHost";

    public static readonly IReadOnlyList<string> StorageNames = ["Sqlite", "PostgreSql"];

    public static readonly IReadOnlyList<string> QueueNames = ["Storage", "Redis"];

    public static readonly IReadOnlyList<string> ModelNames = ["offline", "openai", "anthropic", "ollama", "groq"];

    public static readonly IReadOnlyList<string> CommandModes = ["Sandboxed", "Simulated"];

    /// <summary>Where projects, events, the queue and the budget live: Sqlite (one file, processes on one machine) or PostgreSql.</summary>
    public string Storage { get; set; } = "Sqlite";

    /// <summary>Where the work queue lives: Storage (the database's own) or Redis (Streams; not in this build yet).</summary>
    public string Queue { get; set; } = "Storage";

    /// <summary>The model provider: offline (the default: a deterministic stand-in, no AI), openai, anthropic, ollama, groq.</summary>
    public string Model { get; set; } = "offline";

    /// <summary>The offline stand-in's price in dollars per million input tokens (0: free), to show the budget at work.</summary>
    public decimal OfflineInputPrice { get; set; }

    /// <summary>The offline stand-in's price in dollars per million output tokens.</summary>
    public decimal OfflineOutputPrice { get; set; }

    /// <summary>How long the offline stand-in takes to answer, to play a real model's latency (items are then I/O bound).</summary>
    public TimeSpan OfflineResponseDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Sandboxed (the default): agents' commands and deployments really run, in the sandbox. Simulated: they are answered
    /// at once without running anything ("3 passed"), for demonstrations and tests of the queue; the code is never built.
    /// </summary>
    public string Commands { get; set; } = "Sandboxed";

    /// <summary>Whether this host also plays every project's client: answers questions with the default answer and approves reviews (never adds budget). For demonstrations; a real client answers through the web API.</summary>
    public bool PlayClient { get; set; }

    /// <summary>How often the client player looks for projects waiting for their client.</summary>
    public TimeSpan ClientPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the health line is logged (0: only at start).</summary>
    public TimeSpan HealthLogInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The budget of each brief <c>submit</c> sends, in dollars.</summary>
    public decimal SubmitBudget { get; set; } = 10m;

    /// <summary>How long <c>wait</c> waits for every project to end.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        Check(nameof(Storage), Storage, StorageNames);
        Check(nameof(Queue), Queue, QueueNames);
        Check(nameof(Model), Model, ModelNames);
        Check(nameof(Commands), Commands, CommandModes);
        if (OfflineInputPrice is < 0 or > 1_000 || OfflineOutputPrice is < 0 or > 1_000)
        {
            problems.Add($"{SectionName}:OfflineInputPrice and OfflineOutputPrice must be between 0 and 1000 dollars per million tokens.");
        }

        if (OfflineResponseDelay < TimeSpan.Zero || OfflineResponseDelay > TimeSpan.FromMinutes(5))
        {
            problems.Add($"{SectionName}:OfflineResponseDelay is {OfflineResponseDelay}; it must be between 00:00:00 and 00:05:00.");
        }

        if (ClientPollInterval < TimeSpan.FromMilliseconds(10) || ClientPollInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"{SectionName}:ClientPollInterval is {ClientPollInterval}; it must be between 00:00:00.010 and 01:00:00.");
        }

        if (HealthLogInterval < TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:HealthLogInterval is {HealthLogInterval}; it must be 00:00:00 (only at start) or more.");
        }

        if (SubmitBudget is <= 0 or > BudgetLimits.MaxAmount)
        {
            problems.Add($"{SectionName}:SubmitBudget is {SubmitBudget}; it must be more than 0 and at most {BudgetLimits.MaxAmount:0}.");
        }

        if (WaitTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:WaitTimeout is {WaitTimeout}; it must be more than zero.");
        }

        return problems;

        void Check(string name, string value, IReadOnlyList<string> allowed)
        {
            if (!allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{SectionName}:{name} is '{value}'; use one of {string.Join(", ", allowed)}.");
            }
        }
    }

    public bool Is(string value, string name) => string.Equals(value, name, StringComparison.OrdinalIgnoreCase);
}
