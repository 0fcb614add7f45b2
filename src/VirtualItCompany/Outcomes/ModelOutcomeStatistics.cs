using System.Collections.Concurrent;
using VirtualItCompany.Lifecycle;
using VirtualItCompany.Routing;
using VirtualItCompany.Runtime;

namespace VirtualItCompany.Outcomes;

/// <summary>
/// The company's verdicts on its models' work, read from the projects' committed events (a cursor per project) and folded
/// with the lifecycle's verdict rules; the same events give the same report in every process and on every store.
/// </summary>
/// <remarks>
/// A call's own project is folded up to the version its work item began at, and what this process committed is folded before
/// the next report. This process's commits are folded from the events the commit writer publishes (kept until the next
/// report, up to <see cref="MaxHeldCommits"/> commits), so they are not read back from the store; a commit that does not
/// follow its project's cursor (another process committed in between, or the held commits overflowed) has its project read
/// from the store instead. Other processes' verdicts arrive within <see cref="OutcomeFeedbackOptions.RefreshInterval"/>,
/// when every project is listed again. With no call (the admin views) every project is brought up to date.
/// </remarks>
internal sealed class ModelOutcomeStatistics : IModelOutcomeStatistics, IDisposable
{
    /// <summary>How many of this process's commits are held for the next report; past it, their projects are read from the store.</summary>
    internal const int MaxHeldCommits = 16_384;

    private readonly IProjectStore _store;
    private readonly VerdictRules _rules;
    private readonly OutcomeFeedbackOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IDisposable? _observation;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<ProjectId, byte> _dirty = new();
    private readonly ConcurrentQueue<IReadOnlyList<ProjectEvent>> _committed = new();
    private int _held;
    private readonly ConcurrentDictionary<ProjectId, long> _versions = new();
    private readonly Dictionary<ProjectId, ProjectVerdictFold> _projects = [];
    private readonly Dictionary<(string Model, AgentRole Role, LifecycleStage Stage), (int Accepted, int SentBack)> _counts = new(ModelKeyComparer.Instance);
    private readonly Dictionary<(AgentRole Role, LifecycleStage Stage), List<StageVerdict>> _stages = [];
    private readonly List<ModelVerdict> _newModels = [];
    private readonly List<StageVerdict> _newStages = [];
    private long _verdicts;
    private long _refreshedAt = -1;
    private ModelOutcomeReport _report = ModelOutcomeReport.Empty;

    public ModelOutcomeStatistics(IProjectStore store, LifecycleDefinition lifecycle, OutcomeFeedbackOptions options, TimeProvider? timeProvider = null, ProjectEventFeed? feed = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _rules = new VerdictRules(lifecycle);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _observation = feed?.Observe(NoteCommitted);
    }

    public async ValueTask<ModelOutcomeReport> GetReportAsync(ModelCallContext? call = null, CancellationToken cancellationToken = default)
    {
        if (call is not null && IsFresh(call))
        {
            return Volatile.Read(ref _report);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool changed = false;
            long now = _timeProvider.GetTimestamp();
            if (call is null || _refreshedAt < 0 || _timeProvider.GetElapsedTime(_refreshedAt, now) >= _options.RefreshInterval)
            {
                // The held commits are behind what the listing reads: fold them first, so that they are not read back.
                changed |= FoldCommitted();
                _dirty.Clear(); // the listing reads every project as it is now; what commits during it marks its project again
                await foreach (var project in _store.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    changed |= await CatchUpAsync(project.Id, project.Version, cancellationToken).ConfigureAwait(false);
                }

                _refreshedAt = now;
            }
            else
            {
                changed |= FoldCommitted();
                foreach (var id in _dirty.Keys)
                {
                    _dirty.TryRemove(id, out _);
                    changed |= await CatchUpAsync(id, long.MaxValue, cancellationToken).ConfigureAwait(false);
                }

                if (call is not null && call.ProjectVersion > _versions.GetValueOrDefault(call.ProjectId))
                {
                    changed |= await CatchUpAsync(call.ProjectId, call.ProjectVersion, cancellationToken).ConfigureAwait(false);
                }
            }

            if (changed)
            {
                Volatile.Write(ref _report, Build());
            }

            return _report;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _observation?.Dispose();
        _gate.Dispose();
    }

    private bool IsFresh(ModelCallContext call)
    {
        long refreshed = Volatile.Read(ref _refreshedAt);
        return refreshed >= 0
            && _timeProvider.GetElapsedTime(refreshed) < _options.RefreshInterval
            && _dirty.IsEmpty
            && Volatile.Read(ref _held) == 0
            && call.ProjectVersion <= _versions.GetValueOrDefault(call.ProjectId);
    }

    /// <summary>Holds a commit's events for the next report; called on the committing thread, so it only notes them.</summary>
    private void NoteCommitted(IReadOnlyList<ProjectEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        if (Interlocked.Increment(ref _held) <= MaxHeldCommits)
        {
            _committed.Enqueue(events);
            return;
        }

        // Too many held: this commit is read from the store, and only when it may hold a verdict (the next call of its
        // project reads the rest).
        Interlocked.Decrement(ref _held);
        foreach (var e in events)
        {
            if (e is StageChanged or ClientInputRequested)
            {
                _dirty.TryAdd(e.ProjectId, 0);
                return;
            }
        }
    }

    /// <summary>
    /// Folds the commits this process published since the last report (under the gate). A commit that follows its project's
    /// cursor is folded from its events; one already folded is skipped; one after a gap (events another process committed, or
    /// a commit published out of order) marks its project for reading from the store.
    /// </summary>
    private bool FoldCommitted()
    {
        bool found = false;
        while (_committed.TryDequeue(out var events))
        {
            Interlocked.Decrement(ref _held);
            var id = events[0].ProjectId;
            var fold = FoldOf(id);
            foreach (var e in events)
            {
                if (e.Version <= fold.Version)
                {
                    continue;
                }

                if (e.Version != fold.Version + 1)
                {
                    _dirty.TryAdd(id, 0);
                    break;
                }

                found |= Apply(id, fold, e);
            }
        }

        return found;
    }

    /// <summary>Folds a project's events after its cursor; whether any verdict was found.</summary>
    private async ValueTask<bool> CatchUpAsync(ProjectId id, long upTo, CancellationToken cancellationToken)
    {
        var fold = FoldOf(id);
        if (fold.Version >= upTo)
        {
            return false;
        }

        bool found = false;
        await foreach (var e in _store.ReadEventsAsync(id, fold.Version, cancellationToken).ConfigureAwait(false))
        {
            found |= Apply(id, fold, e);
        }

        return found;
    }

    private ProjectVerdictFold FoldOf(ProjectId id)
    {
        if (!_projects.TryGetValue(id, out var fold))
        {
            _projects[id] = fold = new ProjectVerdictFold();
        }

        return fold;
    }

    /// <summary>Folds the next event of a project and moves its cursor; whether a verdict was found.</summary>
    private bool Apply(ProjectId id, ProjectVerdictFold fold, ProjectEvent e)
    {
        fold.Apply(e, _rules, _newModels, _newStages);
        _versions[id] = fold.Version;
        return Merge();
    }

    private bool Merge()
    {
        if (_newModels.Count == 0 && _newStages.Count == 0)
        {
            return false;
        }

        foreach (var verdict in _newModels)
        {
            var key = (verdict.Model, verdict.Role, verdict.Stage);
            var (accepted, sentBack) = _counts.GetValueOrDefault(key);
            _counts[key] = verdict.Accepted ? (accepted + 1, sentBack) : (accepted, sentBack + 1);
        }

        foreach (var verdict in _newStages)
        {
            var key = (verdict.Role, verdict.Stage);
            if (!_stages.TryGetValue(key, out var list))
            {
                _stages[key] = list = [];
            }

            // Commit order across projects: by timestamp, then project, then version; whatever order the projects are read in.
            int at = list.BinarySearch(verdict);
            list.Insert(at < 0 ? ~at : at, verdict);
            _verdicts++;
        }

        _newModels.Clear();
        _newStages.Clear();
        return true;
    }

    private ModelOutcomeReport Build()
    {
        var rates = _counts
            .Select(c => new ModelOutcomeRate(c.Key.Model, c.Key.Role, c.Key.Stage, c.Value.Accepted, c.Value.SentBack))
            .OrderBy(r => r.Role.Value, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.Stage.Value, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.ModelId, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var shifts = _options.Enabled
            ? _stages.OrderBy(s => s.Key.Role.Value, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Key.Stage.Value, StringComparer.OrdinalIgnoreCase)
                .Select(s => OutcomeBandPolicy.Fold(s.Key.Role, s.Key.Stage, s.Value, _options)).ToList()
            : [];
        return new ModelOutcomeReport(rates, shifts, _verdicts);
    }

    private sealed class ModelKeyComparer : IEqualityComparer<(string Model, AgentRole Role, LifecycleStage Stage)>
    {
        public static ModelKeyComparer Instance { get; } = new();

        public bool Equals((string Model, AgentRole Role, LifecycleStage Stage) x, (string Model, AgentRole Role, LifecycleStage Stage) y) =>
            string.Equals(x.Model, y.Model, StringComparison.OrdinalIgnoreCase) && x.Role == y.Role && x.Stage == y.Stage;

        public int GetHashCode((string Model, AgentRole Role, LifecycleStage Stage) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Model), obj.Role, obj.Stage);
    }
}
