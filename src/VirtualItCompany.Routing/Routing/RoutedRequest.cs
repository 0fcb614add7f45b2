using System.Buffers;
using System.Runtime.ExceptionServices;

namespace VirtualItCompany.Routing;

/// <summary>One call being routed: its signals, the candidates walked so far, its budget account and failures.</summary>
internal sealed class RoutedRequest : IDisposable
{
    private readonly RouteTable _table;
    private readonly BudgetLedger _ledger;
    private RankedCandidate[] _band;
    private long[] _keys;
    private readonly ulong[] _seen;
    private readonly List<RankedCandidate> _walked = new(2);
    private int _bandIndex;
    private int _bandCount;
    private int _bandPosition;
    private List<string>? _failedOver;
    private Exception? _lastFailure;

    public RoutedRequest(RouteTable table, BudgetLedger ledger, in RoutingSignals signals, int startBand, BudgetAccount? account)
    {
        _table = table;
        _ledger = ledger;
        Signals = signals;
        StartBand = startBand;
        Account = account;
        _band = ArrayPool<RankedCandidate>.Shared.Rent(table.MaxBandSize);
        _keys = ArrayPool<long>.Shared.Rent(table.MaxBandSize);
        _seen = new ulong[(table.Models.Length + 63) / 64];
        _bandIndex = startBand - 1;
    }

    public RoutingSignals Signals { get; }

    public int StartBand { get; }

    public BudgetAccount? Account { get; }

    /// <summary>The band of the candidate last handed out.</summary>
    public int CurrentBand => _bandIndex;

    public int FailoverCount => _failedOver?.Count ?? 0;

    /// <summary>Hands out the next candidate that qualifies, with its worst-case cost reserved; false when none is left.</summary>
    public bool TryNext(out RankedCandidate candidate, out BudgetReservation reservation)
    {
        while (true)
        {
            if (_bandPosition >= _bandCount)
            {
                if (++_bandIndex >= _table.Bands.Length)
                {
                    candidate = default;
                    reservation = default;
                    return false;
                }

                _bandCount = ModelSelector.EvaluateBand(_table, _bandIndex, Signals, _ledger.RemainingUnits(Account), _band, _keys, _seen);
                ModelSelector.Sort(_keys.AsSpan(0, _bandCount));
                _bandPosition = 0;
                continue;
            }

            candidate = _band[(int)(_keys[_bandPosition++] & 0xFF)];
            reservation = default;
            if (candidate.Rejection == Rejection.None && !_ledger.TryReserveUnits(Account, candidate.Cost, out reservation))
            {
                candidate.Rejection = Rejection.OverBudget; // another call took the budget since the band was ranked
            }

            _walked.Add(candidate);
            if (candidate.Rejection == Rejection.None)
            {
                return true;
            }
        }
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

    /// <summary>The error for a call that needs <paramref name="needed"/> units more than is left in its project's or the global budget.</summary>
    public BudgetExhaustedException BudgetExhausted(long needed)
    {
        bool projectShort = Account is not null && Account.RemainingUnits < needed;
        var scope = projectShort ? Account! : _ledger.Global;
        return new BudgetExhaustedException(scope.Scope, CostUnits.ToDollars(needed), CostUnits.ToDollars(scope.RemainingUnits));
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
        return new RoutingDecision(chosen.Profile.Id, Signals.Complexity, Signals.ComplexityEstimated, reason, CostUnits.ToDollars(cost), BuildCandidates())
        {
            FailedOver = _failedOver is null ? [] : [.. _failedOver],
        };
    }

    private RoutingCandidate[] BuildCandidates()
    {
        var candidates = new RoutingCandidate[_walked.Count];
        for (int i = 0; i < candidates.Length; i++)
        {
            var c = _walked[i];
            var profile = _table.Models[c.Model].Profile;
            candidates[i] = new RoutingCandidate(profile.Id, CostUnits.ToDollars(c.Cost), DecisionText.Rejection(c, profile, Signals));
        }

        return candidates;
    }
}
