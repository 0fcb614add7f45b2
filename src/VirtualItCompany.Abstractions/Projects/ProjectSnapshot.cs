using System.Collections.Immutable;

namespace VirtualItCompany;

/// <summary>The state of a project at one version: the fold of its events.</summary>
/// <remarks>
/// Immutable; <see cref="Apply"/> returns the next snapshot. The fold holds no lifecycle policy: stages, loops and which
/// stage addresses requested changes come from the events, which the runtime writes from its lifecycle definition. The
/// runtime folds; stores keep the folded snapshot so that readers never replay.
/// </remarks>
public sealed record ProjectSnapshot
{
    /// <summary>Gets the project's id.</summary>
    public required ProjectId Id { get; init; }

    /// <summary>Gets the brief the project was created from.</summary>
    public required ProjectBrief Brief { get; init; }

    /// <summary>Gets the version: the number of events folded in.</summary>
    public long Version { get; init; }

    /// <summary>Gets the current lifecycle stage (at first, the lifecycle's initial stage, from <see cref="ProjectCreated.InitialStage"/>).</summary>
    public LifecycleStage Stage { get; init; }

    /// <summary>Gets how many times the project has entered each stage.</summary>
    public ImmutableDictionary<LifecycleStage, int> StageRounds { get; init; } = ImmutableDictionary<LifecycleStage, int>.Empty;

    /// <summary>Gets how many times each transition the lifecycle counts as a loop (<see cref="StageChanged.IsLoop"/>) was taken, by <see cref="LoopKey"/>; loops are bounded by these.</summary>
    public ImmutableDictionary<string, int> LoopCounts { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>Gets whether the project is worked on, waiting, paused or ended.</summary>
    public ProjectStatus Status { get; init; } = ProjectStatus.Active;

    /// <summary>Gets when the project was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the last event was committed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the current stage's clock started: when the project entered the stage, or was last resumed.</summary>
    public DateTimeOffset StageClockStartedAt { get; init; }

    /// <summary>Gets when the project's clock started: when it was created, or last resumed.</summary>
    public DateTimeOffset ClockStartedAt { get; init; }

    /// <summary>Gets the requirements summary, once captured.</summary>
    public string? Requirements { get; init; }

    /// <summary>Gets the acceptance criteria the team works to (the brief's, refined by the project manager).</summary>
    public ImmutableList<string> AcceptanceCriteria { get; init; } = [];

    /// <summary>Gets the planned features.</summary>
    public ImmutableList<PlannedFeature> Features { get; init; } = [];

    /// <summary>Gets the client's answers to the team's questions, oldest first.</summary>
    public ImmutableList<string> ClientAnswers { get; init; } = [];

    /// <summary>Gets the changes asked for by code review or the client and not yet addressed by a new round of development.</summary>
    public ImmutableList<string> RequestedChanges { get; init; } = [];

    /// <summary>Gets the question the project waits on, when <see cref="Status"/> is <see cref="ProjectStatus.WaitingForClient"/>.</summary>
    public ClientInputRequested? PendingInput { get; init; }

    /// <summary>Gets the work items scheduled and not yet completed, by id.</summary>
    public ImmutableDictionary<string, WorkItem> OutstandingWork { get; init; } = ImmutableDictionary<string, WorkItem>.Empty;

    /// <summary>Gets the work items set aside: while the project is paused, waits for the client or for budget, or after failing past its retries. Resuming, the client's answer or added budget schedules them again.</summary>
    public ImmutableList<WorkItem> ParkedWork { get; init; } = [];

    /// <summary>Gets the deployments, by environment.</summary>
    public ImmutableDictionary<string, Uri> Deployments { get; init; } = ImmutableDictionary<string, Uri>.Empty;

    /// <summary>Gets the last test run, if any.</summary>
    public TestsRun? LastTestRun { get; init; }

    /// <summary>Gets the number of model calls made.</summary>
    public long ModelCalls { get; init; }

    /// <summary>Gets the input tokens used by all model calls.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens used by all model calls.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets what the model calls cost, in US dollars.</summary>
    public decimal Spent { get; init; }

    /// <summary>Gets the budget left, in US dollars (never below zero).</summary>
    public decimal BudgetRemaining => Math.Max(0m, (Brief.Budget ?? 0m) - Spent);

    /// <summary>Gets whether the project has ended (completed or cancelled).</summary>
    public bool IsEnded => Status is ProjectStatus.Completed or ProjectStatus.Cancelled;

    /// <summary>Gets the current round of a stage (0 before it was entered).</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>How many times the project entered it.</returns>
    public int RoundOf(LifecycleStage stage) => StageRounds.GetValueOrDefault(stage);

    /// <summary>Creates the snapshot of a project from its first event.</summary>
    /// <param name="created">The <see cref="ProjectCreated"/> event.</param>
    /// <returns>The snapshot at version 1 (or at the event's version).</returns>
    public static ProjectSnapshot Create(ProjectCreated created)
    {
        ArgumentNullException.ThrowIfNull(created);
        return new ProjectSnapshot
        {
            Id = created.ProjectId,
            Brief = created.Brief,
            Version = created.Version == 0 ? 1 : created.Version,
            CreatedAt = created.Timestamp,
            UpdatedAt = created.Timestamp,
            StageClockStartedAt = created.Timestamp,
            ClockStartedAt = created.Timestamp,
            AcceptanceCriteria = [.. created.Brief.AcceptanceCriteria],
            Stage = created.InitialStage,
            StageRounds = ImmutableDictionary<LifecycleStage, int>.Empty.Add(created.InitialStage, 1),
        };
    }

    /// <summary>Folds the next event in.</summary>
    /// <param name="projectEvent">The event; its version should be <see cref="Version"/> + 1.</param>
    /// <returns>The next snapshot.</returns>
    public ProjectSnapshot Apply(ProjectEvent projectEvent)
    {
        ArgumentNullException.ThrowIfNull(projectEvent);
        // One copy per event: each case sets the version and time along with its own change.
        long v = projectEvent.Version == 0 ? Version + 1 : projectEvent.Version;
        var at = projectEvent.Timestamp;
        return projectEvent switch
        {
            StageChanged e => this with
            {
                Version = v,
                UpdatedAt = at,
                Stage = e.To,
                StageClockStartedAt = at,
                StageRounds = StageRounds.SetItem(e.To, RoundOf(e.To) + 1),
                LoopCounts = e.IsLoop ? LoopCounts.SetItem(LoopKey(e.From, e.Trigger), LoopCounts.GetValueOrDefault(LoopKey(e.From, e.Trigger)) + 1) : LoopCounts,
                RequestedChanges = e.AddressesRequestedChanges ? [] : RequestedChanges,
                // Work set aside in the stage left is stale: the stage's next round schedules its own.
                ParkedWork = Without(ParkedWork, stage: e.From),
            },
            WorkItemScheduled e => this with { Version = v, UpdatedAt = at, OutstandingWork = OutstandingWork.SetItem(e.Item.Id, e.Item), ParkedWork = Without(ParkedWork, id: e.Item.Id) },
            WorkItemCompleted e => this with { Version = v, UpdatedAt = at, OutstandingWork = OutstandingWork.Remove(e.WorkItemId) },
            WorkItemFailed { WillRetry: false } e => this with { Version = v, UpdatedAt = at, OutstandingWork = OutstandingWork.Remove(e.WorkItemId) },
            WorkItemParked e => this with
            {
                Version = v,
                UpdatedAt = at,
                OutstandingWork = OutstandingWork.Remove(e.Item.Id),
                ParkedWork = Without(ParkedWork, id: e.Item.Id).Add(e.Item),
            },
            ModelCallCompleted e => this with
            {
                Version = v,
                UpdatedAt = at,
                ModelCalls = ModelCalls + 1,
                InputTokens = InputTokens + e.InputTokens,
                OutputTokens = OutputTokens + e.OutputTokens,
                Spent = Spent + e.Cost,
            },
            RequirementsCaptured e => this with { Version = v, UpdatedAt = at, Requirements = e.Summary, AcceptanceCriteria = [.. e.AcceptanceCriteria] },
            PlanCreated e => this with { Version = v, UpdatedAt = at, Features = [.. e.Features] },
            CodeReviewed { Approved: false } e => this with { Version = v, UpdatedAt = at, RequestedChanges = RequestedChanges.AddRange(e.Comments) },
            TestsRun e => this with { Version = v, UpdatedAt = at, LastTestRun = e },
            Deployed e => this with { Version = v, UpdatedAt = at, Deployments = Deployments.SetItem(e.Environment, e.Url) },
            // A paused project stays paused when asked something; it waits for the client once resumed.
            ClientInputRequested e => this with { Version = v, UpdatedAt = at, Status = Status == ProjectStatus.Paused ? ProjectStatus.Paused : ProjectStatus.WaitingForClient, PendingInput = e },
            ClientAnswered e => Answered() with { Version = v, UpdatedAt = at, ClientAnswers = ClientAnswers.Add(e.Answer) },
            ClientApproved => Answered() with { Version = v, UpdatedAt = at },
            ClientRequestedChanges e => Answered() with { Version = v, UpdatedAt = at, RequestedChanges = RequestedChanges.Add(e.Changes) },
            ProjectPaused => this with { Version = v, UpdatedAt = at, Status = ProjectStatus.Paused },
            ProjectResumed => this with { Version = v, UpdatedAt = at, StageClockStartedAt = at, ClockStartedAt = at, Status = PendingInput is null ? ProjectStatus.Active : ProjectStatus.WaitingForClient },
            ProjectCancelled => this with { Version = v, UpdatedAt = at, Status = ProjectStatus.Cancelled, PendingInput = null },
            ProjectCompleted => this with { Version = v, UpdatedAt = at, Status = ProjectStatus.Completed, PendingInput = null },
            BudgetIncreased e => (PendingInput is { Kind: ClientInputKind.Budget } ? Answered() : this) with { Version = v, UpdatedAt = at, Brief = Brief with { Budget = e.NewBudget } },
            _ => this with { Version = v, UpdatedAt = at },
        };
    }

    /// <summary>Gets the key under which <see cref="LoopCounts"/> counts a transition.</summary>
    /// <param name="from">The stage left.</param>
    /// <param name="trigger">The trigger.</param>
    /// <returns>The key.</returns>
    public static string LoopKey(LifecycleStage from, LifecycleTrigger trigger) => $"{from}:{trigger}";

    // Without lambdas: a captured pattern variable would allocate a closure on every Apply.
    private static ImmutableList<WorkItem> Without(ImmutableList<WorkItem> work, string? id = null, LifecycleStage? stage = null)
    {
        if (work.IsEmpty)
        {
            return work;
        }

        var kept = work;
        foreach (var item in work)
        {
            if ((id is not null && item.Id == id) || (stage is { } s && item.Stage == s))
            {
                kept = kept.Remove(item);
            }
        }

        return kept;
    }

    private ProjectSnapshot Answered() =>
        this with { Status = Status == ProjectStatus.WaitingForClient ? ProjectStatus.Active : Status, PendingInput = null };
}
