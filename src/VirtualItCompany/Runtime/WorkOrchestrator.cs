using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VirtualItCompany.Chat;
using VirtualItCompany.Diagnostics;

namespace VirtualItCompany.Runtime;

/// <summary>Runs one leased work item: gives it to its role's agent, then commits the outcome, the transitions and the follow-up work in one atomic commit fenced by the lease.</summary>
internal sealed class WorkOrchestrator
{
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(30);

    private readonly RunningWork _running;
    private readonly CommitWriter _writer;
    private readonly IWorkQueue _queue;
    private readonly IArtifactStore _artifacts;
    private readonly IWorkspaceProvider _workspaces;
    private readonly IChatClient _pipeline;
    private readonly IBudgetAccount _budget;
    private readonly IModelCallJournal? _journal;
    private readonly AgentDirectory _agents;
    private readonly LifecycleDecider _decider;
    private readonly CompanyOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<AgentRole, ILogger> _agentLoggers = new();
    // Projects whose workspace this process has checked against the artifact store (restored when it had no copy).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ProjectId, Task> _checkedWorkspaces = new();

    internal WorkOrchestrator(
        RunningWork running,
        CommitWriter writer,
        IWorkQueue queue,
        IArtifactStore artifacts,
        IWorkspaceProvider workspaces,
        IChatClient pipeline,
        IBudgetAccount budget,
        AgentDirectory agents,
        LifecycleDecider decider,
        IOptions<CompanyOptions> options,
        TimeProvider timeProvider,
        IServiceProvider services,
        ILoggerFactory? loggerFactory,
        IModelCallJournal? journal = null)
    {
        _journal = journal;
        _running = running;
        _writer = writer;
        _queue = queue;
        _artifacts = artifacts;
        _workspaces = workspaces;
        _pipeline = pipeline;
        _budget = budget;
        _agents = agents;
        _decider = decider;
        _options = options.Value;
        _timeProvider = timeProvider;
        _services = services;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<WorkOrchestrator>();
    }

    /// <summary>Does one leased work item to the end: its result is committed, or the item goes back on the queue.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Stops the work; the item is released for another worker and nothing is committed.</param>
    /// <returns>A task that completes when the item is committed or released.</returns>
    public async Task ProcessAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var item = lease.Item;
        // A queue that read the project with the lease (WorkLease.Project) saves the read.
        var project = lease.Project is { } leased && leased.Id == item.ProjectId
            ? leased
            : await _writer.Store.GetAsync(item.ProjectId, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            _logger.LogWarning("Work item {WorkItemId} names unknown project {ProjectId}; releasing it.", item.Id, item.ProjectId);
            await _queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        // What earlier tries of the item paid for and never committed: it is accounted for in the commit that settles this lease.
        var (earlier, journaled) = await EarlierCallsAsync(lease, cancellationToken).ConfigureAwait(false);
        if (!LifecycleDecider.IsCurrent(project, item) || project.Status is not ProjectStatus.Active)
        {
            await CommitWithoutWorkAsync(lease, earlier, project, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var activity = CompanyTelemetry.ActivitySource.HasListeners() ? CompanyTelemetry.ActivitySource.StartActivity("work_item " + item.Stage.Value) : null;
        activity?.SetTag(AgentChatTags.ProjectId, item.ProjectId.Value);
        activity?.SetTag(AgentChatTags.Stage, item.Stage.Value);
        activity?.SetTag(AgentChatTags.Role, item.Role.Value);
        activity?.SetTag(AgentChatTags.WorkItemId, item.Id);
        activity?.SetTag("vic.attempt", lease.Attempt);
        using var leaseKeeper = new LeaseKeeper(_queue, lease, _options.LeaseDuration, _timeProvider, cancellationToken);
        using var running = _running.Register(item.ProjectId, leaseKeeper.Source);
        var workToken = leaseKeeper.Token;
        long started = _timeProvider.GetTimestamp();
        AgentOutcome outcome;
        BudgetExhaustedException? budgetExhausted = null;
        var calls = new ModelCallContext(item.ProjectId, item.Id, item.Role, item.Stage, lease.Attempt - 1)
        {
            LeaseToken = lease.Token,
            ProjectVersion = project.Version,
            // The journal keeps what this try's calls cost until its commit settles them in the same transaction (the first
            // try only: a later try sweeps what earlier ones left open, which would charge those reservations in full).
            SettleJournaledCallsInCommit = _journal is not null && _writer.FoldsBudget && lease.Attempt == 1,
            // Only earlier tries' records can answer a call, and none can be added while this try holds the lease.
            JournalMayHoldCalls = journaled > 0,
        };
        RecordingWorkspace? workspace = null;
        try
        {
            var agent = _agents.Find(item.Role);
            if (lease.Attempt > _options.MaxAttempts)
            {
                // Every lease counts: an item whose worker crashed, hung or could not save it is not run again past its attempts.
                outcome = AgentOutcome.Failed($"{item.DisplayName} was tried {lease.Attempt - 1} times without a committed result (its worker stopped, hung or could not save the work); it is not run again until the project is resumed.", retryable: false);
            }
            else if (agent is null)
            {
                outcome = AgentOutcome.Failed($"No agent is registered for the role '{item.Role}'. Register one with AddAgent<TAgent>() (roles with agents: {string.Join(", ", _agents.Roles)}).", retryable: false);
            }
            else
            {
                var projectWorkspace = await _workspaces.GetWorkspaceAsync(item.ProjectId, workToken).ConfigureAwait(false);
                await RestoreIfMissingAsync(projectWorkspace, project, workToken).ConfigureAwait(false);
                workspace = new RecordingWorkspace(projectWorkspace, _services.GetService(typeof(VirtualItCompany.Security.SecretRedactor)) as VirtualItCompany.Security.SecretRedactor);
                if (!_writer.FoldsBudget)
                {
                    // The budget account is the one truth: its limit for the project follows the project's budget (limits only
                    // rise). A store that applies budget operations raised it in the commits that set the budget instead.
                    await _budget.RaiseLimitAsync(BudgetScope.ForProject(item.ProjectId), project.Brief.Budget ?? 0m, workToken).ConfigureAwait(false);
                }
                var context = new AgentContext
                {
                    WorkItem = item,
                    Project = project,
                    ChatClient = new WorkItemChatClient(_pipeline, calls),
                    Workspace = workspace,
                    TimeProvider = _timeProvider,
                    Logger = _agentLoggers.GetOrAdd(item.Role, static (role, factory) => factory.CreateLogger("VirtualItCompany.Agents." + role.Value), _loggerFactory),
                    Services = _services,
                };
                outcome = await agent.ExecuteAsync(context, workToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is stopping: give the item back untouched, but keep the record of what its calls cost. Charges first:
            // a released item's next try counts as a first try, so what this one left open must be settled before.
            var stopped = await ChargesAsync(lease, calls).ConfigureAwait(false);
            await _queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            await RecordSpendOnlyAsync(item, NotJournaled(stopped.Charges)).ConfigureAwait(false);
            throw;
        }
        catch (BudgetExhaustedException ex)
        {
            budgetExhausted = ex;
            outcome = AgentOutcome.Failed(ex.Message, retryable: false);
        }
        catch (OperationCanceledException) when (leaseKeeper.Lost)
        {
            _logger.LogWarning("Lost the lease on {WorkItem}; another worker has it now.", item.DisplayName);
            await RecordSpendOnlyAsync(item, NotJournaled((await ChargesAsync(lease, calls).ConfigureAwait(false)).Charges)).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning(ex, "The {Role} agent failed on {WorkItem}.", item.Role, item.DisplayName);
            outcome = AgentOutcome.Failed($"{ex.GetType().Name}: {ex.Message}", retryable: true);
        }

        var (charges, settlements) = await ChargesAsync(lease, calls).ConfigureAwait(false);
        var recorded = new List<ProjectEvent>(earlier.Count + charges.Count);
        recorded.AddRange(earlier);
        recorded.AddRange(charges.Select(c => c.Event));

        // The agent's work is done: finish saving and committing it even if the worker is asked to stop meanwhile.
        using var finishing = new CancellationTokenSource(FinishTimeout, _timeProvider);
        if (outcome.Kind != AgentOutcomeKind.Failed && workspace is not null)
        {
            try
            {
                var changed = await SaveWorkspaceAsync(workspace, item, outcome, finishing.Token).ConfigureAwait(false);
                if (changed is not null)
                {
                    recorded.Add(changed);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An effect that cannot be saved is a failed, explained outcome, never an item that re-runs forever.
                _logger.LogWarning(ex, "Could not save the work of {WorkItem}.", item.DisplayName);
                outcome = AgentOutcome.Failed($"The work could not be saved ({ex.GetType().Name}: {ex.Message}).", retryable: true);
            }
        }

        var duration = _timeProvider.GetElapsedTime(started);
        activity?.SetTag("vic.outcome", outcome.Kind.ToString());
        if (outcome.Kind == AgentOutcomeKind.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Summary);
        }

        if (CompanyTelemetry.WorkItems.Enabled || CompanyTelemetry.WorkItemDuration.Enabled)
        {
            var tags = new TagList { { AgentChatTags.Role, item.Role.Value }, { AgentChatTags.Stage, item.Stage.Value }, { "vic.outcome", outcome.Kind.ToString() } };
            CompanyTelemetry.WorkItems.Add(1, tags);
            CompanyTelemetry.WorkItemDuration.Record(duration.TotalSeconds, tags);
        }

        await CommitOutcomeAsync(lease, project, outcome, budgetExhausted, recorded, NotJournaled(charges), settlements, duration, leaseKeeper, finishing.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Rebuilds a project's workspace from the artifact store when this machine has no copy of it (the project ran on another
    /// machine, or the temporary folder was wiped): the latest version of every saved file, committed once. Checked once per
    /// project and process; a project that has saved nothing yet is left alone.
    /// </summary>
    private Task RestoreIfMissingAsync(IProjectWorkspace workspace, ProjectSnapshot project, CancellationToken cancellationToken)
    {
        var check = _checkedWorkspaces.GetOrAdd(project.Id, _ => RestoreAsync(workspace, project.Id, CancellationToken.None));
        if (check.IsFaulted)
        {
            _checkedWorkspaces.TryRemove(new KeyValuePair<ProjectId, Task>(project.Id, check));
        }

        return check.WaitAsync(cancellationToken);
    }

    private async Task RestoreAsync(IProjectWorkspace workspace, ProjectId projectId, CancellationToken cancellationToken)
    {
        if ((await workspace.ListFilesAsync("", cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return;
        }

        var latest = new Dictionary<string, ArtifactInfo>(StringComparer.Ordinal);
        await foreach (var artifact in _artifacts.ListAsync(projectId, cancellationToken).ConfigureAwait(false))
        {
            if (!latest.TryGetValue(artifact.Path, out var known) || known.Version < artifact.Version)
            {
                latest[artifact.Path] = artifact;
            }
        }

        if (latest.Count == 0)
        {
            return;
        }

        foreach (var artifact in latest.Values)
        {
            var content = await _artifacts.ReadAsync(projectId, artifact.Path, artifact.Version, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The artifact store lists '{artifact.Path}' version {artifact.Version} of project {projectId} but cannot read it.");
            await workspace.WriteFileAsync(artifact.Path, Encoding.UTF8.GetString(content.Span), cancellationToken).ConfigureAwait(false);
        }

        await workspace.CommitAsync($"Restored {latest.Count} file(s) from the artifact store", [.. latest.Keys], cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Restored the workspace of {ProjectId} from the artifact store: {Count} file(s).", projectId, latest.Count);
    }

    /// <summary>
    /// The calls earlier tries of the item recorded in the journal and never committed, as events to commit with this lease
    /// (the commit that settles the lease removes the records). Their reservations, if a crash left them open, are settled
    /// at the recorded cost now, so the budget and the events agree and the room they held is freed.
    /// </summary>
    private async Task<(List<ProjectEvent> Events, int Records)> EarlierCallsAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        if (_journal is null)
        {
            return ([], 0);
        }

        var item = lease.Item;
        var events = new List<ProjectEvent>();
        // A queue that learned the records with the lease (WorkLease.JournaledCalls) saves the read.
        var records = lease.JournaledCalls ?? await _journal.ListAsync(item.Id, cancellationToken).ConfigureAwait(false);
        if (records.Count == 0)
        {
            return (events, 0);
        }

        // Reservations a sweep charged in full (an abandoned: record each). A call that completed while the sweep ran has
        // its own record too, with the same reservation, but its cost was never charged (its settlement found the
        // reservation closed): the abandoned record accounts for that reservation's spend, once.
        var chargedInFull = records.Where(IsAbandoned).Select(r => r.ReservationId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var record in records)
        {
            bool abandoned = IsAbandoned(record);
            if (record.LeaseToken == lease.Token || (!abandoned && record.ReservationId is { } swept && chargedInFull.Contains(swept)))
            {
                continue;
            }

            if (record.ReservationId is { } reservationId)
            {
                await _budget.SettleAsync(new BudgetReservation(reservationId, item.ProjectId, record.Cost, item.Id, record.ModelId), record.Cost, cancellationToken).ConfigureAwait(false);
            }

            var kind = abandoned ? ModelChargeKind.Abandoned : ModelChargeKind.Completed;
            events.Add(new ModelCallCompleted(item.Id, item.Role, item.Stage, record.Provider, record.ModelId, record.InputTokens, record.OutputTokens, record.Cost, record.Duration, null, kind));
        }

        return (events, records.Count);
    }

    /// <summary>The charges a try made that the journal does not keep: what must be committed even when the try's result is dropped.</summary>
    private static List<ProjectEvent> NotJournaled(List<(ProjectEvent Event, bool Journaled)> charges) =>
        [.. charges.Where(c => !c.Journaled).Select(c => c.Event)];

    /// <summary>
    /// Every charge the item's calls made, as events: what the router reported on the item's context, then, at full amount,
    /// any reservation the item's calls left open (a stream never read to its end), so that the events and the budget
    /// account never disagree.
    /// </summary>
    /// <remarks>
    /// The sweep of the item's open reservations (<see cref="IBudgetAccount.SettleOwnerAsync"/>, a write of its own) is made
    /// only when something may be left open: a call of this try that the router did not close, or an earlier try (a lapsed
    /// lease counts as an attempt; a released try settles its own before it gives the item back). Reservations the router
    /// left for the commit (<see cref="ModelCharge.UnsettledReservationId"/>) are then settled first, at their cost, so the
    /// sweep does not charge them in full; otherwise they are returned as the commit's budget operations.
    /// </remarks>
    private async Task<(List<(ProjectEvent Event, bool Journaled)> Charges, List<BudgetOperation> Settlements)> ChargesAsync(WorkLease lease, ModelCallContext calls)
    {
        var item = lease.Item;
        var recorded = new List<(ProjectEvent, bool)>();
        var settlements = new List<BudgetOperation>();
        IReadOnlyList<BudgetReservation> open = [];
        var taken = new List<ModelCharge>(calls.TakeCharges());
        bool sweep = !calls.SettleJournaledCallsInCommit || calls.OpenReservationCount > 0 || lease.Attempt > 1;
        // Reservations charged in full by a sweep that journaled them in the same transaction (IAbandonedCallSweep).
        IReadOnlyList<ModelCallRecord> swept = [];
        var sweeper = _journal is IAbandonedCallSweep atomic && _writer.FoldsBudget && calls.LeaseToken != 0 ? atomic : null;
        if (sweep)
        {
            try
            {
                await SettleLeftForCommitAsync(item, taken).ConfigureAwait(false);
                if (sweeper is not null)
                {
                    // Charged and journaled in one transaction: a crash between the two would leave spend no event accounts for.
                    // What was charged is read back from the journal (a transaction run again after a lost reply finds nothing
                    // open). A lease no longer held sweeps nothing: the try that holds the item sweeps them and accounts for them.
                    if (await sweeper.SweepAbandonedAsync(item.Id, calls.LeaseToken, reservation => AbandonedRecord(item, reservation, calls.LeaseToken), CancellationToken.None).ConfigureAwait(false))
                    {
                        swept = [.. (await _journal!.ListAsync(item.Id, CancellationToken.None).ConfigureAwait(false))
                            .Where(r => r.LeaseToken == calls.LeaseToken && IsAbandoned(r))];
                    }
                }
                else
                {
                    open = await _budget.SettleOwnerAsync(item.Id, CancellationToken.None).ConfigureAwait(false);
                }

                // A call that ended meanwhile: its reservation was either closed by the router or charged in full by the sweep.
                var late = new List<ModelCharge>(calls.TakeCharges());
                await SettleLeftForCommitAsync(item, late).ConfigureAwait(false);
                taken.AddRange(late);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogError(ex, "Could not settle the budget reservations {WorkItem} left open.", item.DisplayName);
                if (sweeper is not null)
                {
                    // The sweep may have charged and journaled them without this try learning what: committing now would prune
                    // those records with no event for their charge. The item is left to its lease; the next try reports them.
                    throw;
                }
            }
        }

        foreach (var charge in taken)
        {
            if (charge.UnsettledReservationId is { } reservationId)
            {
                settlements.Add(new SettleReservation(reservationId, charge.Cost));
            }

            // A replayed call costs nothing and is answered again on a later try: like a journaled charge, it needs no commit of its own.
            recorded.Add((new ModelCallCompleted(item.Id, item.Role, item.Stage, charge.Provider, charge.ModelId, charge.InputTokens, charge.OutputTokens, charge.Cost, charge.Duration, charge.Routing, charge.Kind), charge.Journaled || charge.Kind == ModelChargeKind.Replayed));
            Meter(charge.ModelId, charge.Cost, item.Role);
        }

        foreach (var reservation in open)
        {
            string model = reservation.ModelId ?? "unknown";
            // Journaled at once (fenced by the lease), so that if this try is never committed the next one accounts for it.
            bool journaled = await JournalAbandonedAsync(item, reservation, calls.LeaseToken).ConfigureAwait(false);
            recorded.Add((new ModelCallCompleted(item.Id, item.Role, item.Stage, "unknown", model, 0, 0, reservation.Amount, TimeSpan.Zero, null, ModelChargeKind.Abandoned), journaled));
            Meter(model, reservation.Amount, item.Role);
        }

        foreach (var record in swept)
        {
            recorded.Add((new ModelCallCompleted(item.Id, item.Role, item.Stage, record.Provider, record.ModelId, 0, 0, record.Cost, TimeSpan.Zero, null, ModelChargeKind.Abandoned), true));
            Meter(record.ModelId, record.Cost, item.Role);
        }

        return (recorded, settlements);
    }

    /// <summary>
    /// Settles at their cost the reservations the router left for the commit, before a sweep would charge them in full; a
    /// charge whose reservation is no longer open (swept meanwhile) is dropped, since the sweep reports it.
    /// </summary>
    private async Task SettleLeftForCommitAsync(WorkItem item, List<ModelCharge> charges)
    {
        for (int i = charges.Count - 1; i >= 0; i--)
        {
            if (charges[i] is { UnsettledReservationId: { } reservationId } charge)
            {
                bool settled = await _budget.SettleAsync(new BudgetReservation(reservationId, item.ProjectId, charge.Cost, item.Id, charge.ModelId), charge.Cost, CancellationToken.None).ConfigureAwait(false);
                charges[i] = charge with { UnsettledReservationId = null };
                if (!settled)
                {
                    charges.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>The key prefix of a journal record that holds a reservation charged in full (a call cut off), not a model's answer.</summary>
    internal const string AbandonedKeyPrefix = "abandoned:";

    /// <summary>Whether a journal record holds a reservation charged in full rather than a model's answer.</summary>
    private static bool IsAbandoned(ModelCallRecord record) => record.CallKey.StartsWith(AbandonedKeyPrefix, StringComparison.Ordinal);

    private async Task<bool> JournalAbandonedAsync(WorkItem item, BudgetReservation reservation, long leaseToken)
    {
        if (_journal is null || leaseToken == 0)
        {
            return false;
        }

        try
        {
            return await _journal.RecordAsync(AbandonedRecord(item, reservation, leaseToken), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning(ex, "Could not journal the abandoned reservation {ReservationId} of {WorkItem}.", reservation.Id, item.DisplayName);
            return false;
        }
    }

    /// <summary>The journal record of a reservation charged in full: no answer, the reservation's amount, fenced by the lease.</summary>
    private ModelCallRecord AbandonedRecord(WorkItem item, BudgetReservation reservation, long leaseToken) =>
        new(item.Id, AbandonedKeyPrefix + reservation.Id, "", "unknown", reservation.ModelId ?? "unknown", 0, 0, reservation.Amount, TimeSpan.Zero, reservation.Id, leaseToken, _timeProvider.GetUtcNow());

    private static void Meter(string model, decimal cost, AgentRole role)
    {
        if (CompanyTelemetry.Cost.Enabled)
        {
            CompanyTelemetry.Cost.Add((double)cost, new KeyValuePair<string, object?>("gen_ai.response.model", model), new(AgentChatTags.Role, role.Value));
        }
    }

    /// <summary>Commits what a work item's model calls cost when its result is dropped, so that spend is never lost.</summary>
    private async Task RecordSpendOnlyAsync(WorkItem item, List<ProjectEvent> calls)
    {
        if (calls.Count == 0)
        {
            return;
        }

        using var finishing = new CancellationTokenSource(FinishTimeout, _timeProvider);
        try
        {
            await _writer.DecideAndCommitAsync(item.ProjectId, _ => new WorkPlan(calls, []), null, finishing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "Could not record the cost of {Calls} model call(s) of {WorkItem}.", calls.Count, item.DisplayName);
        }
    }

    private async Task<FilesChanged?> SaveWorkspaceAsync(RecordingWorkspace workspace, WorkItem item, AgentOutcome outcome, CancellationToken cancellationToken)
    {
        var written = workspace.WrittenFiles;
        // One commit per completed item: its own files, or an empty commit that logs work which wrote none.
        // The Work-Item trailer makes the commit once: a try after a crash that writes the same files finds the earlier try's commit.
        string? commitId = await workspace.CommitAsync($"{item.DisplayName}: {outcome.Summary}\n\nWork-Item: {item.Id}", written, cancellationToken).ConfigureAwait(false);
        foreach (var path in written)
        {
            var text = await workspace.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            await _artifacts.SaveAsync(item.ProjectId, path, Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }

        return written.Count == 0 && commitId is null ? null : new FilesChanged(written, commitId);
    }

    private async Task CommitOutcomeAsync(WorkLease lease, ProjectSnapshot ranOn, AgentOutcome outcome, BudgetExhaustedException? budgetExhausted, List<ProjectEvent> recorded, List<ProjectEvent> notJournaled, List<BudgetOperation> settlements, TimeSpan duration, LeaseKeeper leaseKeeper, CancellationToken cancellationToken)
    {
        var item = lease.Item;
        leaseKeeper.Stop();
        try
        {
            await _writer.DecideAndCommitAsync(item.ProjectId, project =>
                // The project moved on (cancelled, or the stage was left) while the agent worked: keep the record of the calls, drop the rest.
                !LifecycleDecider.IsCurrent(project, item) ? new WorkPlan(recorded, [])
                : budgetExhausted is not null ? LifecycleDecider.WaitForBudget(item, budgetExhausted, recorded)
                : _decider.Decide(project, lease, outcome, recorded, duration, _timeProvider.GetUtcNow()),
                lease,
                cancellationToken,
                // Settled in the commit's transaction, which also removes the journal records that keep their cost.
                settlements,
                // Decided first on the snapshot the agent ran on; a commit made since (here or elsewhere) means a fresh read.
                ranOn).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            _logger.LogWarning("Lost the lease on {WorkItem} before committing; its result is dropped and the item runs again.", item.DisplayName);
            // The journal keeps the rest for the try that has the item now.
            await RecordSpendOnlyAsync(item, notJournaled).ConfigureAwait(false);
        }
    }

    private async Task CommitWithoutWorkAsync(WorkLease lease, List<ProjectEvent> earlier, ProjectSnapshot known, CancellationToken cancellationToken)
    {
        var item = lease.Item;
        bool due = false;
        try
        {
            await _writer.DecideAndCommitAsync(item.ProjectId, project =>
            {
                bool current = LifecycleDecider.IsCurrent(project, item);
                if (current && project.Status == ProjectStatus.Active)
                {
                    // The project was resumed (or answered) meanwhile: the item is due after all.
                    due = true;
                    return null;
                }

                // Work of a paused or waiting project is parked until it resumes; stale work (old round, ended project) is dropped.
                return current
                    ? new WorkPlan([.. earlier, new WorkItemParked(item, project.Status == ProjectStatus.Paused ? "the project is paused" : "the project waits for the client")], [])
                    : new WorkPlan(earlier, []);
            }, lease, cancellationToken, known: known).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            return;
        }

        if (due)
        {
            await _queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
