using VirtualItCompany.Lifecycle;

namespace VirtualItCompany.Runtime;

/// <summary>Turns an agent's outcome or a client's action into events and follow-up work: transitions, fan-out, fan-in, retries, loop bounds.</summary>
/// <remarks>Pure: it reads a snapshot and writes a plan, so a commit that lost a race is decided again on the fresh snapshot.</remarks>
internal sealed class LifecycleDecider
{
    private readonly LifecycleEngine _engine;
    private readonly CompanyOptions _options;

    public LifecycleDecider(LifecycleEngine engine, CompanyOptions options)
    {
        _engine = engine;
        _options = options;
    }

    public LifecycleEngine Engine => _engine;

    /// <summary>Gets which triggers the client's actions fire in the company's lifecycle.</summary>
    public LifecycleClientActions ClientActions => _engine.Definition.ClientActions;

    /// <summary>Whether a leased item still belongs to the project's present: current stage and round, still outstanding, project not ended.</summary>
    public static bool IsCurrent(ProjectSnapshot project, WorkItem item) =>
        !project.IsEnded
        && project.Stage == item.Stage
        && project.RoundOf(item.Stage) == item.Round
        && project.OutstandingWork.ContainsKey(item.Id);

    /// <summary>Schedules the first work of a new project.</summary>
    public WorkPlan Start(ProjectCreated created, ProjectId projectId, DateTimeOffset now)
    {
        created = created with { InitialStage = _engine.Definition.InitialStage };
        var plan = new WorkPlan([created], []);
        var snapshot = ProjectSnapshot.Create(created with { ProjectId = projectId });
        Schedule(plan, snapshot, _engine.Definition.InitialStage, 1, now);
        return plan;
    }

    /// <summary>Decides what an agent's outcome commits.</summary>
    public WorkPlan Decide(ProjectSnapshot project, WorkLease lease, AgentOutcome outcome, IEnumerable<ProjectEvent> recorded, TimeSpan duration, DateTimeOffset now)
    {
        var item = lease.Item;
        if (outcome.Kind == AgentOutcomeKind.Completed && outcome.Trigger is { } given && !_engine.CanFire(item.Stage, given))
        {
            // The agent claims a move its stage does not have: that is the agent's failure, not a question for the client.
            outcome = AgentOutcome.Failed(
                $"The {item.Role} agent finished {item.DisplayName} with the trigger '{given}', which stage {item.Stage} does not permit (permitted: {string.Join(", ", _engine.GetPermittedTriggers(item.Stage))}).",
                retryable: false,
                outcome.Events);
        }

        var plan = new WorkPlan([], []);
        plan.Events.AddRange(recorded);
        plan.Events.AddRange(outcome.Events);
        switch (outcome.Kind)
        {
            case AgentOutcomeKind.Completed:
                plan.Events.Add(new WorkItemCompleted(item.Id, item.Role, item.Stage, outcome.Summary, duration));
                // Fan-in: set-aside work of the stage (paused, waiting for the client or budget, failed) still counts.
                if (HasOtherWorkInRound(project, item))
                {
                    break; // fan-in: the last item of the stage moves the project on
                }

                if (outcome.Trigger is not { } trigger)
                {
                    Escalate(plan, project, $"{item.Role} finished {item.Stage} without saying what comes next (no trigger); decide how to go on.", null);
                    break;
                }

                Transition(plan, project, trigger, now, bypassLoopBound: false);
                break;

            case AgentOutcomeKind.NeedsClientInput:
                // The item waits, set aside, for the client: the answer runs it again or moves the project on.
                plan.Events.Add(new WorkItemParked(item, "waiting for the client: " + outcome.Summary));
                plan.Events.Add(new ClientInputRequested(outcome.InputKind, outcome.Summary));
                break;

            default:
                bool retry = outcome.Retryable && lease.Attempt < _options.MaxAttempts;
                plan.Events.Add(new WorkItemFailed(item.Id, item.Role, item.Stage, outcome.Summary, lease.Attempt, retry));
                if (retry)
                {
                    // The same item goes back on the queue after a backoff; the queue counts its attempts.
                    plan.RetryAt = now + Backoff(lease.Attempt - 1);
                }
                else
                {
                    // Nothing is lost: the item waits, parked, until a human resumes the project.
                    plan.Events.Add(new WorkItemParked(item, outcome.Summary));
                    plan.Events.Add(new ProjectPaused($"{item.Role} could not finish {item.DisplayName} after {lease.Attempt} tries: {outcome.Summary} Fix the cause, then resume the project to try again."));
                }

                break;
        }

        PauseIfPastTimeLimit(plan, project, now);
        return ParkIfHeld(plan, project);
    }

    /// <summary>
    /// Pauses an active project whose stage (still not left by this plan) or whole run is past its time limit, so a human
    /// looks at it: nothing fails, and a resume restarts both clocks.
    /// </summary>
    private void PauseIfPastTimeLimit(WorkPlan plan, ProjectSnapshot project, DateTimeOffset now)
    {
        if (project.Status != ProjectStatus.Active || plan.Events.Any(e => e is ProjectPaused or ProjectCompleted or ProjectCancelled or ClientInputRequested))
        {
            return;
        }

        if (_options.ProjectTimeLimit is { } projectLimit && now - project.ClockStartedAt > projectLimit)
        {
            plan.Events.Add(new ProjectPaused($"The project has run {Duration(now - project.ClockStartedAt)}, past its time limit of {Duration(projectLimit)} (CompanyOptions.ProjectTimeLimit). A human should look at it: resume it to give it that long again, or cancel it."));
            return;
        }

        if (!plan.Events.OfType<StageChanged>().Any() && _options.TimeLimitOf(project.Stage) is { } stageLimit && now - project.StageClockStartedAt > stageLimit)
        {
            plan.Events.Add(new ProjectPaused($"The stage {project.Stage} has run {Duration(now - project.StageClockStartedAt)}, past its time limit of {Duration(stageLimit)} (CompanyOptions.StageTimeLimits or StageTimeLimit). A human should look at it: resume the project to give the stage that long again, or cancel it."));
        }
    }

    private static string Duration(TimeSpan span) => span.ToString(span < TimeSpan.FromMinutes(1) ? @"s\.fff\s" : span < TimeSpan.FromDays(1) ? @"hh\:mm\:ss" : @"d\.hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Fires a trigger for a client action (answer, approval, changes) on a waiting project.</summary>
    public WorkPlan DecideClientAction(ProjectSnapshot project, ProjectEvent clientEvent, LifecycleTrigger trigger, DateTimeOffset now, bool bypassLoopBound)
    {
        var plan = new WorkPlan([clientEvent], []);
        Transition(plan, project, trigger, now, bypassLoopBound);
        return plan;
    }

    /// <summary>No model fits the budget left: the item is set aside and the client is asked for budget; nothing else changes.</summary>
    public static WorkPlan WaitForBudget(WorkItem item, BudgetExhaustedException exhausted, IEnumerable<ProjectEvent> recorded)
    {
        var plan = new WorkPlan([.. recorded], []);
        plan.Events.Add(new WorkItemParked(item, "waiting for budget"));
        if (exhausted.Scope.StartsWith("project:", StringComparison.Ordinal))
        {
            plan.Events.Add(new ClientInputRequested(ClientInputKind.Budget, exhausted.Message, null, exhausted.Shortfall));
        }
        else
        {
            // The client's money cannot help when the company-wide budget ran out: the operator must raise it.
            plan.Events.Add(new ProjectPaused($"The company's {exhausted.Scope} model budget is spent ({exhausted.Message}) Raise VirtualItCompany:Routing:GlobalBudget, restart, then resume the project."));
        }

        return plan;
    }

    /// <summary>The client added budget: the work set aside is scheduled again when the project waited for it.</summary>
    public static WorkPlan AddBudget(ProjectSnapshot project, decimal amount)
    {
        decimal budget = (project.Brief.Budget ?? 0m) + amount;
        // The account follows the committed budget at once, so work parked for budget is admitted when it runs again.
        var plan = new WorkPlan([new BudgetIncreased(amount, budget)], []) { Budget = [new RaiseBudgetLimit(BudgetScope.ForProject(project.Id), budget)] };
        if (project.PendingInput is { Kind: ClientInputKind.Budget } && project.Status == ProjectStatus.WaitingForClient)
        {
            Reschedule(plan, project);
        }

        return plan;
    }

    /// <summary>Resumes a paused project: the parked work is scheduled again.</summary>
    public static WorkPlan Resume(ProjectSnapshot project)
    {
        var plan = new WorkPlan([new ProjectResumed()], []);
        // Work that waits for the client's answer keeps waiting; the answer schedules it.
        if (project.PendingInput is null)
        {
            Reschedule(plan, project);
        }

        return plan;
    }

    /// <summary>Runs the current stage's set-aside work again after the client answered (no transition); with none set aside or running, the stage's work from the start.</summary>
    public WorkPlan Rerun(ProjectSnapshot project, ProjectEvent clientEvent, DateTimeOffset now)
    {
        var plan = new WorkPlan([clientEvent], []);
        Reschedule(plan, project);
        bool running = project.OutstandingWork.Values.Any(w => w.Stage == project.Stage && w.Round == project.RoundOf(project.Stage));
        if (plan.Enqueue.Count == 0 && !running && !_engine.IsTerminal(project.Stage))
        {
            Schedule(plan, project, project.Stage, project.RoundOf(project.Stage), now);
        }

        return plan;
    }

    /// <summary>Whether a clarification answer moves the project (re-entering the stage), rather than re-running the asking work.</summary>
    public bool CanFire(LifecycleStage stage, LifecycleTrigger trigger) => _engine.CanFire(stage, trigger);

    private static bool HasOtherWorkInRound(ProjectSnapshot project, WorkItem item)
    {
        foreach (var (id, w) in project.OutstandingWork)
        {
            if (id != item.Id && w.Stage == item.Stage && w.Round == item.Round)
            {
                return true;
            }
        }

        foreach (var w in project.ParkedWork)
        {
            if (w.Id != item.Id && w.Stage == item.Stage && w.Round == item.Round)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Schedules the current stage's set-aside work again.</summary>
    private static void Reschedule(WorkPlan plan, ProjectSnapshot project)
    {
        int round = project.RoundOf(project.Stage);
        foreach (var item in project.ParkedWork)
        {
            if (item.Stage == project.Stage && item.Round == round)
            {
                plan.Events.Add(new WorkItemScheduled(item));
                plan.Enqueue.Add(item);
            }
        }
    }

    private void Transition(WorkPlan plan, ProjectSnapshot project, LifecycleTrigger trigger, DateTimeOffset now, bool bypassLoopBound)
    {
        var from = project.Stage;
        if (!_engine.CanFire(from, trigger))
        {
            Escalate(plan, project, $"The trigger '{trigger}' is not allowed in stage {from} (allowed: {string.Join(", ", _engine.GetPermittedTriggers(from))}); decide how to go on.", null);
            return;
        }

        var to = _engine.Fire(from, trigger);
        int loops = project.LoopCounts.GetValueOrDefault(ProjectSnapshot.LoopKey(from, trigger));
        if (!bypassLoopBound && _engine.Definition.IsLoop(from, to) && loops >= _options.MaxLoopCount)
        {
            Escalate(plan, project, $"{from} sent the project back to {to} ({trigger}) {loops} times already; answer to let the team go round once more, or cancel.", trigger);
            return;
        }

        var definition = _engine.Definition;
        plan.Events.Add(new StageChanged(from, trigger, to) { IsLoop = definition.IsLoop(from, to), AddressesRequestedChanges = definition.GetStage(from).AddressesRequestedChanges });
        if (_engine.IsTerminal(to))
        {
            plan.Events.Add(new ProjectCompleted());
            return;
        }

        Schedule(plan, project, to, project.RoundOf(to) + 1, now);
    }

    private void Schedule(WorkPlan plan, ProjectSnapshot project, LifecycleStage stage, int round, DateTimeOffset now)
    {
        var definition = _engine.Definition.GetStage(stage);
        IReadOnlyList<string> subjects = [];
        if (definition.FanOut is { } fanOut)
        {
            // The fan-out reads the project as this commit leaves it: a plan made by the work being committed counts too.
            var projected = project;
            foreach (var e in plan.Events)
            {
                projected = projected.Apply(e);
            }

            subjects = fanOut.GetSubjects(projected);
        }

        foreach (var role in definition.Roles)
        {
            if (subjects.Count > 0)
            {
                foreach (var subject in subjects)
                {
                    Add(WorkItem.Create(project.Id, role, stage, round, now, subject));
                }
            }
            else
            {
                Add(WorkItem.Create(project.Id, role, stage, round, now));
            }
        }

        void Add(WorkItem item)
        {
            plan.Events.Add(new WorkItemScheduled(item));
            plan.Enqueue.Add(item);
        }
    }

    private static void Escalate(WorkPlan plan, ProjectSnapshot project, string question, LifecycleTrigger? heldBack) =>
        plan.Events.Add(new ClientInputRequested(ClientInputKind.Escalation, $"{project.Brief.Title}: {question}", heldBack));

    /// <summary>A paused project finishes the work in progress but starts nothing new: follow-ups are parked.</summary>
    private static WorkPlan ParkIfHeld(WorkPlan plan, ProjectSnapshot project)
    {
        if (project.Status != ProjectStatus.Paused || plan.Enqueue.Count == 0)
        {
            return plan;
        }

        foreach (var item in plan.Enqueue)
        {
            plan.Events.Add(new WorkItemParked(item, "the project is paused"));
        }

        plan.Enqueue.Clear();
        return plan;
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = _options.RetryBaseDelay * Math.Pow(2, Math.Min(attempt, 30));
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }
}
