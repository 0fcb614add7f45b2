using System.Collections.Concurrent;
using System.Globalization;

namespace VirtualItCompany.Routing;

/// <summary>
/// The budget account of one process: the company's budget and every project's, reserved and settled lock-free in
/// nano-dollars. Workers of one process that share it never overspend; workers in several processes need a durable
/// account (one that passes the budget conformance suite of <c>VirtualItCompany.Testing</c>).
/// </summary>
/// <remarks>
/// A reservation that does not fit only because of other calls' reservations (what was spent leaves room) waits up to
/// <see cref="BudgetReservationRequest.MaxWait"/> for them to settle or be released, rather than reporting a budget that
/// is not exhausted as exhausted.
/// </remarks>
public sealed class InMemoryBudgetAccount : IBudgetAccount
{
    private static readonly TimeSpan MaxTimerSlice = TimeSpan.FromDays(1);
    private readonly BudgetTally _company = new();
    private readonly ConcurrentDictionary<ProjectId, BudgetTally> _projects = new();
    private readonly ConcurrentDictionary<string, OpenReservation> _open = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly string _idPrefix = "res_" + Guid.NewGuid().ToString("N")[..8] + "_";
    private long _nextId;
    private int _waiters;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Creates an account.</summary>
    /// <param name="companyLimit">The company-wide budget in US dollars, 0 to <see cref="BudgetLimits.MaxAmount"/>; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock that times waits for in-flight reservations, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="companyLimit"/> is negative or above <see cref="BudgetLimits.MaxAmount"/>.</exception>
    public InMemoryBudgetAccount(decimal? companyLimit = null, TimeProvider? timeProvider = null)
    {
        if (companyLimit is { } limit)
        {
            BudgetLimits.ThrowIfOutOfRange(limit, nameof(companyLimit));
            _company.SetLimit(BudgetUnits.FromDollarsFloor(limit));
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public async ValueTask<BudgetReservationResult> TryReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        BudgetLimits.ThrowIfOutOfRange(request.Amount, nameof(request.Amount));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Owner, nameof(request.Owner));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxWait, TimeSpan.Zero, nameof(request.MaxWait));
        cancellationToken.ThrowIfCancellationRequested();
        long units = BudgetUnits.FromDollarsCeiling(request.Amount);
        var project = request.ProjectId is { } id ? Project(id) : null;
        if (TryCommit(project, units) is not { } refusedBy)
        {
            return Granted(request, project, units);
        }

        if (request.MaxWait <= TimeSpan.Zero || !OnlyInFlightStandsInWay(project, refusedBy, units))
        {
            return Refusal(request.ProjectId, refusedBy);
        }

        long started = _timeProvider.GetTimestamp();
        Interlocked.Increment(ref _waiters);
        try
        {
            while (true)
            {
                // Take the signal before trying, so a settlement between the try and the wait is not missed.
                var changed = Volatile.Read(ref _changed).Task;
                if (TryCommit(project, units) is not { } refused)
                {
                    return Granted(request, project, units);
                }

                refusedBy = refused;
                var left = request.MaxWait - _timeProvider.GetElapsedTime(started);
                if (left <= TimeSpan.Zero || !OnlyInFlightStandsInWay(project, refusedBy, units))
                {
                    return Refusal(request.ProjectId, refusedBy);
                }

                try
                {
                    // Timers take at most ~49 days; a longer MaxWait is waited in slices.
                    await changed.WaitAsync(left < MaxTimerSlice ? left : MaxTimerSlice, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // One last try below: a settlement may have landed with the deadline.
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> SettleAsync(BudgetReservation reservation, decimal actualCost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        BudgetLimits.ThrowIfOutOfRange(actualCost, nameof(actualCost));
        if (!_open.TryRemove(reservation.Id, out var open))
        {
            return new ValueTask<bool>(false);
        }

        long actual = BudgetUnits.FromDollarsCeiling(actualCost);
        open.Project?.Settle(open.Units, actual);
        _company.Settle(open.Units, actual);
        Signal();
        return new ValueTask<bool>(true);
    }

    /// <inheritdoc/>
    public ValueTask<bool> ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (!_open.TryRemove(reservation.Id, out var open))
        {
            return new ValueTask<bool>(false);
        }

        open.Project?.Uncommit(open.Units);
        _company.Uncommit(open.Units);
        Signal();
        return new ValueTask<bool>(true);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<BudgetReservation>> SettleOwnerAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        List<BudgetReservation>? settled = null;
        foreach (var (id, open) in _open)
        {
            if (string.Equals(open.Reservation.Owner, owner, StringComparison.Ordinal) && _open.TryRemove(id, out var taken))
            {
                taken.Project?.Settle(taken.Units, taken.Units);
                _company.Settle(taken.Units, taken.Units);
                (settled ??= []).Add(taken.Reservation);
            }
        }

        if (settled is null)
        {
            return new ValueTask<IReadOnlyList<BudgetReservation>>([]);
        }

        Signal();
        return new ValueTask<IReadOnlyList<BudgetReservation>>(settled);
    }

    /// <inheritdoc/>
    public ValueTask<BudgetBalance> GetBalanceAsync(BudgetScope scope, CancellationToken cancellationToken = default)
    {
        var tally = Find(scope);
        if (tally is null)
        {
            return new ValueTask<BudgetBalance>(new BudgetBalance(scope, null, 0m, 0m));
        }

        long limit = tally.LimitUnits;
        return new ValueTask<BudgetBalance>(new BudgetBalance(
            scope,
            limit >= BudgetUnits.Unlimited ? null : BudgetUnits.ToDollars(limit),
            BudgetUnits.ToDollars(tally.SpentUnits),
            BudgetUnits.ToDollars(tally.ReservedUnits)));
    }

    /// <inheritdoc/>
    public ValueTask SetLimitAsync(BudgetScope scope, decimal? limit, CancellationToken cancellationToken = default)
    {
        if (limit is { } value)
        {
            BudgetLimits.ThrowIfOutOfRange(value, nameof(limit));
        }

        Tally(scope).SetLimit(limit is { } l ? BudgetUnits.FromDollarsFloor(l) : BudgetUnits.Unlimited);
        Signal();
        return default;
    }

    /// <inheritdoc/>
    public ValueTask RaiseLimitAsync(BudgetScope scope, decimal limit, CancellationToken cancellationToken = default)
    {
        BudgetLimits.ThrowIfOutOfRange(limit, nameof(limit));
        Tally(scope).RaiseLimitTo(BudgetUnits.FromDollarsFloor(limit));
        Signal();
        return default;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"company: spent {BudgetUnits.ToDollars(_company.SpentUnits)}, reserved {BudgetUnits.ToDollars(_company.ReservedUnits)}; {_projects.Count} projects, {_open.Count} open reservations");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BudgetTally Project(ProjectId id) =>
        _projects.TryGetValue(id, out var tally) ? tally : _projects.GetOrAdd(id, static _ => new BudgetTally());

    private BudgetTally? Find(BudgetScope scope) =>
        scope.ProjectId is { } id ? _projects.GetValueOrDefault(id) : _company;

    private BudgetTally Tally(BudgetScope scope) => scope.ProjectId is { } id ? Project(id) : _company;

    /// <summary>Commits in the project (when given) and the company, or neither; returns the tally that refused, or null.</summary>
    private BudgetTally? TryCommit(BudgetTally? project, long units)
    {
        if (project is not null && !project.TryCommit(units))
        {
            return project;
        }

        if (!_company.TryCommit(units))
        {
            project?.Uncommit(units);
            if (project is not null)
            {
                Signal(); // the project's units were visible for a moment: a waiter may have seen them
            }

            return _company;
        }

        return null;
    }

    /// <summary>Whether every budget has room for the amount once its in-flight reservations settle.</summary>
    private bool OnlyInFlightStandsInWay(BudgetTally? project, BudgetTally refusedBy, long units) =>
        refusedBy.RoomAfterSpentUnits >= units && (project is null || project.RoomAfterSpentUnits >= units) && _company.RoomAfterSpentUnits >= units;

    private BudgetReservationResult Granted(BudgetReservationRequest request, BudgetTally? project, long units)
    {
        string id = _idPrefix + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var reservation = new BudgetReservation(id, request.ProjectId, request.Amount, request.Owner, request.ModelId);
        _open[id] = new OpenReservation(reservation, project, units);
        return BudgetReservationResult.Granted(reservation);
    }

    private BudgetReservationResult Refusal(ProjectId? projectId, BudgetTally refusedBy)
    {
        var scope = ReferenceEquals(refusedBy, _company) || projectId is not { } id ? BudgetScope.Company : BudgetScope.ForProject(id);
        return BudgetReservationResult.Refused(scope, BudgetUnits.ToDollars(refusedBy.RemainingUnits), BudgetUnits.ToDollars(refusedBy.ReservedUnits));
    }

    /// <summary>Wakes the reservations waiting for in-flight ones; allocates only when someone waits.</summary>
    private void Signal()
    {
        if (Volatile.Read(ref _waiters) > 0)
        {
            Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
        }
    }

    private sealed record OpenReservation(BudgetReservation Reservation, BudgetTally? Project, long Units);
}
