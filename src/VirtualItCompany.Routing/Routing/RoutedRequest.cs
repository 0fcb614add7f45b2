using System.Buffers;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>One call being routed: its signals, the candidates walked so far, its budgets (reserved, settled and reported through the account) and failures.</summary>
internal sealed class RoutedRequest : IDisposable
{
    private readonly RouteTable _table;
    private readonly IBudgetAccount _budget;
    private readonly TimeProvider _timeProvider;
    private readonly CallBudget _callBudget;
    private TimeSpan _waitLeft;
    private (BudgetScope Scope, decimal Remaining)? _refusal;
    private RankedCandidate[] _band;
    private long[] _keys;
    private readonly ulong[] _seen;
    private readonly List<RankedCandidate> _walked = new(2);
    private int _bandIndex;
    private int _bandCount;
    private int _bandPosition;
    private List<string>? _failedOver;
    private Exception? _lastFailure;

    public RoutedRequest(RouteTable table, IBudgetAccount budget, TimeProvider timeProvider, in RoutingSignals signals, int startBand, CallBudget callBudget)
    {
        _table = table;
        _budget = budget;
        _timeProvider = timeProvider;
        _callBudget = callBudget;
        _waitLeft = table.Options.InFlightReservationWait;
        Signals = signals;
        StartBand = startBand;
        _band = ArrayPool<RankedCandidate>.Shared.Rent(table.MaxBandSize);
        _keys = ArrayPool<long>.Shared.Rent(table.MaxBandSize);
        _seen = new ulong[(table.Models.Length + 63) / 64];
        _bandIndex = startBand - 1;
    }

    public RoutingSignals Signals { get; }

    /// <summary>Gets why the estimator gave the complexity it gave, when it says; recorded in the decision.</summary>
    public string? ComplexityExplanation { get; init; }

    public int StartBand { get; }

    /// <summary>The work item's context, where every charge is reported; <see langword="null"/> for a call made outside the runtime.</summary>
    public ModelCallContext? Context => _callBudget.Context;

    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The journal a completed call is recorded in before it is settled; <see langword="null"/> when calls are not journaled.</summary>
    public IModelCallJournal? Journal { get; set; }

    /// <summary>The call's key in <see cref="Journal"/>.</summary>
    public string? CallKey { get; set; }

    /// <summary>Whom the call is charged to and what its budgets held when it began.</summary>
    public CallBudget Budget => _callBudget;

    /// <summary>The band of the candidate last handed out.</summary>
    public int CurrentBand => _bandIndex;

    public int FailoverCount => _failedOver?.Count ?? 0;

    /// <summary>The verdicts on the models' work when the call began; <see langword="null"/> without outcome statistics or a work item.</summary>
    public ModelOutcomeReport? Outcomes { get; init; }

    /// <summary>How many bands the outcome-feedback policy moved the call up.</summary>
    public int OutcomeBandsUp { get; init; }

    /// <summary>What the outcome-feedback policy did to the call, for the decision's reason; <see langword="null"/> when it had nothing to do.</summary>
    public string? OutcomeNote { get; init; }

    /// <summary>Hands out the next candidate that qualifies, with its worst-case cost reserved; <see langword="null"/> when none is left.</summary>
    /// <remarks>Candidates are ranked against what settled spend leaves, so one that only other calls' reservations stand in the way of waits for them.</remarks>
    public async ValueTask<(RankedCandidate Candidate, BudgetReservation Reservation)?> TryNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_bandPosition >= _bandCount)
            {
                if (++_bandIndex >= _table.Bands.Length)
                {
                    return null;
                }

                _bandCount = ModelSelector.EvaluateBand(_table, _bandIndex, Signals, _callBudget.RoomUnits, _band, _keys, _seen);
                ModelSelector.Sort(_keys.AsSpan(0, _bandCount));
                _bandPosition = 0;
                continue;
            }

            var candidate = _band[(int)(_keys[_bandPosition++] & 0xFF)];
            BudgetReservation? reservation = null;
            if (candidate.Rejection == Rejection.None)
            {
                reservation = await ReserveAsync(_table.Models[candidate.Model], candidate.Cost, cancellationToken).ConfigureAwait(false);
                if (reservation is null)
                {
                    candidate.Rejection = Rejection.OverBudget; // other calls' reservations did not settle in time
                }
            }

            _walked.Add(candidate);
            if (reservation is not null)
            {
                return (candidate, reservation);
            }
        }
    }

    /// <summary>Reserves a model's worst case for this call, waiting (at most <see cref="RoutingOptions.InFlightReservationWait"/> over the whole call) for other calls' reservations; <see langword="null"/> when refused.</summary>
    public async ValueTask<BudgetReservation?> ReserveAsync(ModelEntry model, long units, CancellationToken cancellationToken)
    {
        var request = new BudgetReservationRequest(_callBudget.ProjectId, BudgetUnits.ToDollars(units), _callBudget.Owner)
        {
            MaxWait = _waitLeft > TimeSpan.Zero ? _waitLeft : TimeSpan.Zero,
            ModelId = model.Profile.Id,
        };
        long started = _timeProvider.GetTimestamp();
        var result = await _budget.TryReserveAsync(request, cancellationToken).ConfigureAwait(false);
        _waitLeft -= _timeProvider.GetElapsedTime(started);
        if (result.Reservation is { } reservation)
        {
            Context?.ReservationOpened(reservation.Id);
            return reservation;
        }

        _refusal = (result.RefusedBy ?? BudgetScope.Company, result.Remaining);
        return null;
    }

    /// <summary>Charges a reservation at <paramref name="units"/> and reports the charge on the call's context; nothing is reported when the reservation was already settled (its owner was settled).</summary>
    public async ValueTask<bool> ChargeAsync(BudgetReservation reservation, long units, ModelEntry model, string? modelId, UsageDetails? usage, TimeSpan duration, ModelChargeKind kind, RoutingDecision? decision, bool journaled = false)
    {
        decimal cost = BudgetUnits.ToDollars(units);
        if (journaled && Context is { SettleJournaledCallsInCommit: true } context)
        {
            // The record keeps the cost: the commit that settles the item's lease settles the reservation in its own
            // transaction, and a try that never commits leaves both for the next try, which settles it from the record.
            context.ReservationClosed(reservation.Id);
            context.Record(new ModelCharge(model.Profile.Provider, modelId ?? model.Profile.ModelId, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0, cost, duration, kind, decision) { Journaled = true, UnsettledReservationId = reservation.Id });
            return true;
        }

        bool settled = await _budget.SettleAsync(reservation, cost, CancellationToken.None).ConfigureAwait(false);
        Context?.ReservationClosed(reservation.Id);
        if (!settled)
        {
            return false;
        }

        Context?.Record(new ModelCharge(model.Profile.Provider, modelId ?? model.Profile.ModelId, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0, cost, duration, kind, decision) { Journaled = journaled });
        return true;
    }

    /// <summary>
    /// Records a completed call in the journal before its reservation is settled, so that if this try never commits, a later
    /// one answers the call from the record and accounts for its cost; <see langword="false"/> when it could not be recorded
    /// (the call is then only in the try's own charges).
    /// </summary>
    public async ValueTask<bool> JournalAsync(ChatResponse response, BudgetReservation reservation, long units, ModelEntry model, string? modelId, UsageDetails? usage, TimeSpan duration, Microsoft.Extensions.Logging.ILogger logger)
    {
        if (Journal is not { } journal || CallKey is not { } key || Context is not { } context)
        {
            return false;
        }

        try
        {
            var record = new ModelCallRecord(
                context.WorkItemId, key, CallJournal.Serialize(response), model.Profile.Provider, modelId ?? model.Profile.ModelId,
                usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0, BudgetUnits.ToDollars(units), duration, reservation.Id, context.LeaseToken, _timeProvider.GetUtcNow());
            // Not stored when another try of the item recorded the same call first: then this charge is only this try's.
            return await journal.RecordAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, ex, "Could not record a call of {WorkItemId} in the model-call journal; if this try is not committed, the call will be made again.", context.WorkItemId);
            return false;
        }
    }

    /// <summary>Frees a reservation whose call certainly cost nothing.</summary>
    public async ValueTask<bool> ReleaseAsync(BudgetReservation reservation)
    {
        bool released = await _budget.ReleaseAsync(reservation, CancellationToken.None).ConfigureAwait(false);
        Context?.ReservationClosed(reservation.Id);
        return released;
    }

    /// <summary>Records that the candidate last handed out failed before any output; its reservation is already released.</summary>
    public void Failed(ModelEntry model, Exception exception)
    {
        (_failedOver ??= []).Add(model.Profile.Id);
        _lastFailure = exception;
        for (int i = _walked.Count - 1; i >= 0; i--)
        {
            if (_walked[i].Model == model.Index)
            {
                var failed = _walked[i];
                failed.Rejection = Rejection.Failed;
                failed.FailureText = $"failed before any output: {exception.GetType().Name}: {exception.Message}";
                _walked[i] = failed;
                break;
            }
        }
    }

    /// <summary>
    /// The error for a call no candidate could take: the budget when any candidate did not fit it (a model that failed
    /// earlier must not hide that the budget is what stops the call), else the last failure, else why none qualified.
    /// </summary>
    public Exception NoCandidateLeft()
    {
        long needed = long.MaxValue;
        foreach (var c in _walked)
        {
            if (c.Rejection == Rejection.OverBudget && c.Cost < needed)
            {
                needed = c.Cost;
            }
        }

        if (needed != long.MaxValue)
        {
            var exhausted = BudgetExhausted(needed);
            if (_lastFailure is not null)
            {
                // BudgetExhaustedException has no inner-exception constructor; the earlier model failure travels in Data.
                exhausted.Data[CostAwareRoutingChatClient.LastFailureDataKey] = _lastFailure;
            }

            return exhausted;
        }

        if (_lastFailure is not null)
        {
            return _lastFailure;
        }

        return new ModelRoutingException(
            $"No registered model can take this call (complexity {Signals.Complexity}, needs {Signals.RequiredCapabilities}, about {Signals.ExpectedPromptTokens} prompt tokens): " +
            string.Join("; ", BuildCandidates().Select(c => $"{c.ModelId}: {c.Rejection}")),
            BuildCandidates());
    }

    /// <summary>The extra attempts (Polly retries) that called a model again, across every model tried for the call.</summary>
    public int Retries { get; private set; }

    /// <summary>What failed attempts that may have been billed were charged, in units, across every model tried for the call.</summary>
    public long ChargedFailureUnits { get; private set; }

    /// <summary>Records a retry that reserved its own budget and called the model again.</summary>
    public void Retried() => Retries++;

    /// <summary>Records a failed attempt charged at its reservation.</summary>
    public void ChargedFailure(long units) => ChargedFailureUnits += units;

    /// <summary>The error for a call that needs <paramref name="needed"/> units more than is left in its project's or the company's budget.</summary>
    public BudgetExhaustedException BudgetExhausted(long needed)
    {
        // Settled spend that leaves too little names its budget; otherwise the account's last refusal does.
        var (scope, remaining) =
            _callBudget.ProjectRoomUnits < needed && _callBudget.ProjectId is { } project ? (BudgetScope.ForProject(project), _callBudget.ProjectRemaining)
            : _callBudget.CompanyRoomUnits < needed ? (BudgetScope.Company, _callBudget.CompanyRemaining)
            : _refusal ?? (BudgetScope.Company, _callBudget.CompanyRemaining);
        return new BudgetExhaustedException(scope.Value, BudgetUnits.ToDollars(needed), remaining);
    }

    /// <summary>Returns the ranking buffer to the pool; the request is done.</summary>
    public void Dispose()
    {
        var band = Interlocked.Exchange(ref _band, []);
        if (band.Length > 0)
        {
            ArrayPool<RankedCandidate>.Shared.Return(band, clearArray: true);
            ArrayPool<long>.Shared.Return(Interlocked.Exchange(ref _keys, []));
        }
    }

    public static void Throw(Exception exception) => ExceptionDispatchInfo.Throw(exception);

    public RoutingDecision Decide(ModelEntry chosen, long cost)
    {
        string reason = DecisionText.Reason(_table, chosen, _bandIndex, StartBand, Signals, FailoverCount, Retries);
        if (OutcomeNote is not null)
        {
            reason = reason + "; " + OutcomeNote;
        }

        return new RoutingDecision(chosen.Profile.Id, Signals.Complexity, Signals.ComplexityEstimated, reason, BudgetUnits.ToDollars(cost), BuildCandidates())
        {
            FailedOver = _failedOver is null ? [] : [.. _failedOver],
            ChosenModelOutcomes = ChosenModelOutcomes(chosen),
            OutcomeBandsUp = OutcomeBandsUp,
            ComplexityExplanation = ComplexityExplanation,
        };
    }

    private ModelOutcomeRate? ChosenModelOutcomes(ModelEntry chosen)
    {
        if (Outcomes is not { } report || Context is not { } context)
        {
            return null;
        }

        // Calls answered from the journal are recorded under the provider's model id, routed ones under the catalog id.
        var byId = report.Find(chosen.Profile.Id, context.Role, context.Stage);
        var byModelId = string.Equals(chosen.Profile.Id, chosen.Profile.ModelId, StringComparison.OrdinalIgnoreCase) ? null : report.Find(chosen.Profile.ModelId, context.Role, context.Stage);
        return new ModelOutcomeRate(chosen.Profile.Id, context.Role, context.Stage, (byId?.Accepted ?? 0) + (byModelId?.Accepted ?? 0), (byId?.SentBack ?? 0) + (byModelId?.SentBack ?? 0));
    }

    private RoutingCandidate[] BuildCandidates()
    {
        var candidates = new RoutingCandidate[_walked.Count];
        for (int i = 0; i < candidates.Length; i++)
        {
            var c = _walked[i];
            var profile = _table.Models[c.Model].Profile;
            candidates[i] = new RoutingCandidate(profile.Id, BudgetUnits.ToDollars(c.Cost), DecisionText.Rejection(c, profile, Signals));
        }

        return candidates;
    }
}
