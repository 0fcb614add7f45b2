using VirtualItCompany.Lifecycle;

namespace VirtualItCompany.Runtime;

/// <summary>Options of the company runtime; bound from the <c>VirtualItCompany</c> configuration section and validated at start.</summary>
public sealed class CompanyOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "VirtualItCompany";

    /// <summary>Gets or sets how many work items run at once in this process.</summary>
    /// <value>The default value is 4.</value>
    public int Workers { get; set; } = 4;

    /// <summary>Gets the most work items of a role that run at once, by role name; a role not listed is limited only by <see cref="Workers"/>.</summary>
    public IDictionary<string, int> RoleConcurrency { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the budget, in US dollars, of a brief that gives none.</summary>
    /// <value>The default value is 10.</value>
    public decimal DefaultBudget { get; set; } = 10m;

    /// <summary>Gets or sets how long a worker's lease on a work item lasts; it is renewed while the agent works.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how many times a work item is tried before the project is paused for a human.</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Gets or sets the wait before the first retry; each further retry waits twice as long.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest wait before a retry.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many times a loop (review, test or client changes, clarification) may go round before the project asks a human.</summary>
    /// <value>The default value is 3.</value>
    public int MaxLoopCount { get; set; } = 3;

    /// <summary>Gets or sets how long an idle worker waits before it looks at the queue again (a durable queue polls at this rate).</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long the workers, once told to stop (host shutdown, Ctrl+C, SIGTERM), let the items they are working on
    /// finish and commit before they stop them; an item still running then is stopped and released for another worker
    /// (never half-committed). No new item is leased once stopping. <see cref="TimeSpan.Zero"/> stops them at once.
    /// </summary>
    /// <remarks>The host must wait at least this long for its services to stop (<c>HostOptions.ShutdownTimeout</c>, 30 seconds by default).</remarks>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Gets or sets how long a project may run before it is paused for a human to look at it (it is not failed); a resume
    /// gives it this long again. <see langword="null"/> for no limit.
    /// </summary>
    /// <remarks>Checked whenever the project's work commits; time waiting for the client counts.</remarks>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? ProjectTimeLimit { get; set; }

    /// <summary>
    /// Gets or sets how long any stage may run before the project is paused for a human (it is not failed); a resume gives
    /// the stage this long again. <see cref="StageTimeLimits"/> overrides it per stage. <see langword="null"/> for no limit.
    /// </summary>
    /// <remarks>Checked whenever work of the stage commits without leaving it (fan-out stages, retries, review rounds).</remarks>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? StageTimeLimit { get; set; }

    /// <summary>Gets the time limits of single stages, by stage name (configuration: <c>VirtualItCompany:StageTimeLimits:Development = 02:00:00</c>).</summary>
    public IDictionary<string, TimeSpan> StageTimeLimits { get; } = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the time limit of a stage: its entry in <see cref="StageTimeLimits"/>, else <see cref="StageTimeLimit"/>.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The limit, or <see langword="null"/> for none.</returns>
    public TimeSpan? TimeLimitOf(LifecycleStage stage) => StageTimeLimits.TryGetValue(stage.Value, out var limit) ? limit : StageTimeLimit;

    /// <summary>Gets or sets the lifecycle projects follow.</summary>
    /// <value>The default value is <see cref="LifecycleDefinition.Default"/>.</value>
    public LifecycleDefinition Lifecycle { get; set; } = LifecycleDefinition.Default;

    /// <summary>Gets the secrets replaced by a placeholder (<c>[secret:NAME]</c>) in events, files, file names, commit messages, artifacts and everything sent to or received from models, keyed by the name the placeholder shows.</summary>
    /// <remarks>Common key shapes (OpenAI <c>sk-</c>, Anthropic <c>sk-ant-</c>, Groq <c>gsk_</c>, AWS, GitHub tokens, bearer tokens, private key blocks) are redacted without being listed.</remarks>
    /// <value>The default value is empty.</value>
    public IDictionary<string, string> Secrets { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets whether the values of this process's environment variables named like secrets (containing KEY, TOKEN, SECRET, PASSWORD, CREDENTIAL or PAT, at least 8 characters) are redacted too.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RedactEnvironmentSecrets { get; set; } = true;

    /// <summary>Lists every problem of these options.</summary>
    /// <returns>The problems, as sentences; empty when valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (Workers is < 1 or > 4096)
        {
            problems.Add($"Workers is {Workers}; it must be between 1 and 4096.");
        }

        foreach (var (role, limit) in RoleConcurrency)
        {
            if (limit < 1)
            {
                problems.Add($"RoleConcurrency['{role}'] is {limit}; it must be 1 or more (remove the entry for no limit).");
            }
        }

        if (DefaultBudget < 0 || DefaultBudget > BudgetLimits.MaxAmount)
        {
            problems.Add($"DefaultBudget is {DefaultBudget}; it must be between 0 and {BudgetLimits.MaxAmount:0} (BudgetLimits.MaxAmount).");
        }

        Within(problems, nameof(LeaseDuration), LeaseDuration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Within(problems, nameof(RetryBaseDelay), RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        Within(problems, nameof(MaxRetryDelay), MaxRetryDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        Within(problems, nameof(PollInterval), PollInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        if (ShutdownGracePeriod < TimeSpan.Zero || ShutdownGracePeriod > TimeSpan.FromHours(1))
        {
            problems.Add($"ShutdownGracePeriod is {ShutdownGracePeriod}; it must be between 00:00:00 (stop at once) and 01:00:00.");
        }
        if (MaxAttempts < 1)
        {
            problems.Add($"MaxAttempts is {MaxAttempts}; it must be 1 or more.");
        }

        if (MaxLoopCount < 1)
        {
            problems.Add($"MaxLoopCount is {MaxLoopCount}; it must be 1 or more.");
        }

        if (ProjectTimeLimit is { } projectLimit && projectLimit <= TimeSpan.Zero)
        {
            problems.Add($"ProjectTimeLimit is {projectLimit}; it must be more than zero (leave it unset for no limit).");
        }

        if (StageTimeLimit is { } stageLimit && stageLimit <= TimeSpan.Zero)
        {
            problems.Add($"StageTimeLimit is {stageLimit}; it must be more than zero (leave it unset for no limit).");
        }

        foreach (var (stage, limit) in StageTimeLimits)
        {
            if (limit <= TimeSpan.Zero)
            {
                problems.Add($"StageTimeLimits['{stage}'] is {limit}; it must be more than zero (remove the entry for the default).");
            }
            else if (Lifecycle is not null && !Lifecycle.Stages.Any(s => string.Equals(s.Stage.Value, stage, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"StageTimeLimits names the stage '{stage}', which the lifecycle does not have (stages: {string.Join(", ", Lifecycle.Stages.Select(s => s.Stage.Value))}).");
            }
        }

        if (Lifecycle is null)
        {
            problems.Add("Lifecycle is null; set a lifecycle definition or leave the default.");
        }
        else
        {
            problems.AddRange(Lifecycle.GetProblems().Select(p => "Lifecycle: " + p));
        }

        return problems;
    }

    private static void Within(List<string> problems, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{name} is {value}; it must be between {min} and {max}.");
        }
    }
}
