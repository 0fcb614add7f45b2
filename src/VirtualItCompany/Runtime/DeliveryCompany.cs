using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VirtualItCompany.Lifecycle;

namespace VirtualItCompany.Runtime;

/// <summary>The company facade: every client action is validated, then committed atomically with the work it schedules.</summary>
internal sealed class DeliveryCompany : IDeliveryCompany, IDisposable
{

    private readonly CommitWriter _writer;
    private readonly ProjectEventFeed _feed;
    private readonly LifecycleDecider _decider;
    private readonly CompanyOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _disposed;

    public DeliveryCompany(CommitWriter writer, ProjectEventFeed feed, LifecycleDecider decider, IOptions<CompanyOptions> options, TimeProvider timeProvider, IHostApplicationLifetime? lifetime = null)
    {
        // Watchers end when the host stops, rather than keep the process alive waiting for events no worker will commit.
        lifetime?.ApplicationStopping.Register(static s => ((DeliveryCompany)s!).Stop(), this);
        _writer = writer;
        _feed = feed;
        _decider = decider;
        _options = options.Value;
        _timeProvider = timeProvider;
    }

    /// <summary>Refuses every later action: the services the company runs on are being disposed, so accepted work would never run.</summary>
    public void Dispose()
    {
        _disposed = true;
        Stop();
        _stopping.Dispose();
    }

    private void Stop()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async Task<ProjectSnapshot> SubmitAsync(ProjectBrief brief, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(brief);
        ObjectDisposedException.ThrowIf(_disposed, this);
        brief.Validate();
        brief = brief with { Budget = brief.Budget ?? _options.DefaultBudget, AcceptanceCriteria = [.. brief.AcceptanceCriteria] };
        var id = ProjectId.New();
        var plan = _decider.Start(new ProjectCreated(brief, default), id, _timeProvider.GetUtcNow());
        // The project's limit in the budget account is its budget from the start (in the creating commit when the store can).
        plan.Budget = [new RaiseBudgetLimit(BudgetScope.ForProject(id), brief.Budget ?? 0m)];
        return await _writer.CommitAsync(id, null, plan, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProjectSnapshot> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default) =>
        await _writer.Store.GetAsync(projectId, cancellationToken).ConfigureAwait(false) ?? throw new ProjectNotFoundException(projectId);

    public IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, CancellationToken cancellationToken = default) =>
        _writer.Store.ListAsync(status, cancellationToken);

    public async IAsyncEnumerable<ProjectEvent> WatchAsync(ProjectId projectId, long afterVersion = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterVersion);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        cancellationToken = stopping.Token;
        // Subscribe (and, across processes, listen) before reading the history, so that nothing committed in between is missed.
        using var live = await _feed.SubscribeAsync(projectId, cancellationToken).ConfigureAwait(false);
        var project = await GetAsync(projectId, cancellationToken).ConfigureAwait(false);
        long last = afterVersion;
        await foreach (var e in _writer.Store.ReadEventsAsync(projectId, afterVersion, cancellationToken).ConfigureAwait(false))
        {
            last = e.Version;
            yield return e;
            if (IsEnd(e))
            {
                yield break;
            }
        }

        if (project.IsEnded && last >= project.Version)
        {
            yield break;
        }

        await foreach (var entry in live.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Version <= last)
            {
                continue;
            }

            if (entry.Event is null || entry.Version > last + 1)
            {
                // Another process committed (announced), or its commits never reached this feed (a gap): read them from the store.
                await foreach (var missed in _writer.Store.ReadEventsAsync(projectId, last, cancellationToken).ConfigureAwait(false))
                {
                    if (entry.Event is not null && missed.Version >= entry.Version)
                    {
                        break;
                    }

                    last = missed.Version;
                    yield return missed;
                    if (IsEnd(missed))
                    {
                        yield break;
                    }
                }

                if (entry.Event is null)
                {
                    continue;
                }
            }

            var e = entry.Event;
            last = e.Version;
            yield return e;
            if (IsEnd(e))
            {
                yield break;
            }
        }
    }

    public Task<ProjectSnapshot> AnswerAsync(ProjectId projectId, string answer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(answer);
        ClientActionLimits.ThrowIfTooLong(answer, ClientActionLimits.MaxAnswerLength, nameof(answer));
        return ActAsync(projectId, project =>
        {
            var pending = RequireWaiting(project, "answer", ClientInputKind.Clarification, ClientInputKind.Escalation);
            var answered = new ClientAnswered(answer);
            var now = _timeProvider.GetUtcNow();
            if (pending.Kind == ClientInputKind.Escalation)
            {
                return pending.Trigger is { } held ? _decider.DecideClientAction(project, answered, held, now, bypassLoopBound: true) : _decider.Rerun(project, answered, now);
            }

            // Where the lifecycle says an answer fires a trigger (the default re-enters requirements analysis), it does; elsewhere the asking work runs again.
            return _decider.ClientActions.ClarificationAnswered is { } trigger && _decider.CanFire(project.Stage, trigger)
                ? _decider.DecideClientAction(project, answered, trigger, now, bypassLoopBound: false)
                : _decider.Rerun(project, answered, now);
        }, cancellationToken);
    }

    public Task<ProjectSnapshot> ApproveAsync(ProjectId projectId, string? comment = null, CancellationToken cancellationToken = default)
    {
        ClientActionLimits.ThrowIfTooLong(comment, ClientActionLimits.MaxReasonLength, nameof(comment));
        return ActAsync(projectId, project =>
        {
            RequireWaiting(project, "approve", ClientInputKind.Review);
            var trigger = ClientTrigger(project, _decider.ClientActions.Approved, "approve", nameof(LifecycleClientActions.Approved));
            return _decider.DecideClientAction(project, new ClientApproved(comment), trigger, _timeProvider.GetUtcNow(), bypassLoopBound: false);
        }, cancellationToken);
    }

    public Task<ProjectSnapshot> RequestChangesAsync(ProjectId projectId, string changes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(changes);
        ClientActionLimits.ThrowIfTooLong(changes, ClientActionLimits.MaxAnswerLength, nameof(changes));
        return ActAsync(projectId, project =>
        {
            RequireWaiting(project, "request changes to", ClientInputKind.Review);
            var trigger = ClientTrigger(project, _decider.ClientActions.ChangesRequested, "request changes to", nameof(LifecycleClientActions.ChangesRequested));
            return _decider.DecideClientAction(project, new ClientRequestedChanges(changes), trigger, _timeProvider.GetUtcNow(), bypassLoopBound: false);
        }, cancellationToken);
    }

    public Task<ProjectSnapshot> AddBudgetAsync(ProjectId projectId, decimal amount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        BudgetLimits.ThrowIfOutOfRange(amount, nameof(amount));
        return ActAsync(projectId, project =>
        {
            if (project.IsEnded)
            {
                throw Refused(project, $"Project '{project.Id}' has ended ({project.Status}); budget can only be added to a running project.");
            }

            if ((project.Brief.Budget ?? 0m) + amount > BudgetLimits.MaxAmount)
            {
                throw new ArgumentOutOfRangeException(nameof(amount), amount, $"Adding ${amount} would take project '{project.Id}''s budget to ${(project.Brief.Budget ?? 0m) + amount}, past the largest budget accepted (${BudgetLimits.MaxAmount:0}, BudgetLimits.MaxAmount).");
            }

            return LifecycleDecider.AddBudget(project, amount);
        }, cancellationToken);
    }

    public Task<ProjectSnapshot> PauseAsync(ProjectId projectId, string reason = "paused by the client", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ClientActionLimits.ThrowIfTooLong(reason, ClientActionLimits.MaxReasonLength, nameof(reason));
        return ActAsync(projectId, project =>
        {
            if (project.IsEnded || project.Status == ProjectStatus.Paused)
            {
                throw Refused(project, $"Project '{project.Id}' is {project.Status}; only a running or waiting project can be paused.");
            }

            return new WorkPlan([new ProjectPaused(reason)], []);
        }, cancellationToken);
    }

    public Task<ProjectSnapshot> ResumeAsync(ProjectId projectId, CancellationToken cancellationToken = default) =>
        ActAsync(projectId, project =>
        {
            if (project.Status != ProjectStatus.Paused)
            {
                throw Refused(project, $"Project '{project.Id}' is {project.Status}, not paused, so it cannot be resumed.");
            }

            return LifecycleDecider.Resume(project);
        }, cancellationToken);

    public Task<ProjectSnapshot> CancelAsync(ProjectId projectId, string reason = "cancelled by the client", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ClientActionLimits.ThrowIfTooLong(reason, ClientActionLimits.MaxReasonLength, nameof(reason));
        return ActAsync(projectId, project =>
        {
            if (project.IsEnded)
            {
                throw Refused(project, $"Project '{project.Id}' has already ended ({project.Status}); there is nothing to cancel.");
            }

            return new WorkPlan([new ProjectCancelled(reason)], []);
        }, cancellationToken);
    }

    private static bool IsEnd(ProjectEvent e) => e is ProjectCompleted or ProjectCancelled;

    private static ClientInputRequested RequireWaiting(ProjectSnapshot project, string verb, params ClientInputKind[] kinds)
    {
        if (project.Status != ProjectStatus.WaitingForClient || project.PendingInput is not { } pending || !kinds.Contains(pending.Kind))
        {
            string waitingFor = project.PendingInput is { } p && project.Status == ProjectStatus.WaitingForClient ? $"it waits for a {p.Kind.ToString().ToLowerInvariant()}" : "it does not wait for the client";
            throw Refused(project, $"Cannot {verb} project '{project.Id}' now: it is in stage {project.Stage} with status {project.Status}, and {waitingFor}.");
        }

        return pending;
    }

    /// <summary>The trigger a client action fires, or a refusal when the lifecycle gives the action none or the stage does not permit it.</summary>
    private LifecycleTrigger ClientTrigger(ProjectSnapshot project, LifecycleTrigger? trigger, string verb, string actionName)
    {
        if (trigger is not { } t)
        {
            throw Refused(project, $"Cannot {verb} project '{project.Id}': its lifecycle '{_decider.Engine.Definition.Name}' gives that client action no trigger (LifecycleClientActions.{actionName}).");
        }

        if (!_decider.CanFire(project.Stage, t))
        {
            throw Refused(project, $"Cannot {verb} project '{project.Id}' in stage {project.Stage}: its lifecycle does not permit the trigger '{t}' there (permitted: {string.Join(", ", _decider.Engine.GetPermittedTriggers(project.Stage))}).");
        }

        return t;
    }

    private static InvalidProjectOperationException Refused(ProjectSnapshot project, string message) =>
        new(project.Id, project.Stage, project.Status, message);

    private async Task<ProjectSnapshot> ActAsync(ProjectId projectId, Func<ProjectSnapshot, WorkPlan> decide, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // A worker may commit first: the action is checked again against the fresh project.
        return await _writer.DecideAndCommitAsync(projectId, decide, null, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A client action decided nothing to commit.");
    }
}
