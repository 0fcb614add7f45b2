using System.Runtime.CompilerServices;

namespace VirtualItCompany.Storage;

/// <summary>The in-memory project store, work queue, outbox and model-call journal: one lock makes every <see cref="ProjectCommit"/> atomic.</summary>
/// <remarks>Nothing survives the process; use a durable adapter (SQLite, PostgreSQL) for that. Safe for concurrent use.</remarks>
internal sealed class InMemoryCompanyStore : IProjectStore, IWorkQueue, IOutbox, IModelCallJournal, IBudgetCommitStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<ProjectId, ProjectRecord> _projects = [];
    private readonly Dictionary<AgentRole, Queue<QueueEntry>> _ready = [];
    private readonly PriorityQueue<QueueEntry, DateTimeOffset> _delayed = new();
    // Every item on the queue (waiting, delayed or leased), by id: the one copy of the item and its attempt count.
    private readonly Dictionary<string, QueueEntry> _onQueue = new(StringComparer.Ordinal);
    private readonly HashSet<QueueEntry> _leased = [];
    private readonly List<OutboxEntry> _outbox = [];
    // Completed model calls of running items, by item id then call key; removed by the commit that settles the item's lease.
    private readonly Dictionary<string, Dictionary<string, ModelCallRecord>> _journal = new(StringComparer.Ordinal);
    private long _outboxSequence;
    private DateTimeOffset _nextExpiry = DateTimeOffset.MaxValue;
    private TaskCompletionSource _workSignal = NewSignal();
    private bool _workPending;
    private long _nextToken;
    private long _nextSequence;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for timestamps, lease expiry and retry backoff.</param>
    /// <param name="budgetAccount">The account commits apply their budget operations to (the company's registered one), or <see langword="null"/> to accept none.</param>
    public InMemoryCompanyStore(TimeProvider timeProvider, IBudgetAccount? budgetAccount = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        BudgetAccount = budgetAccount;
    }

    /// <inheritdoc />
    /// <remarks>The account lives beside this store in the process: a commit's budget operations are applied once the commit passed its checks, before its queue changes are visible; a refused commit applies none.</remarks>
    public IBudgetAccount? BudgetAccount { get; }

    /// <summary>Gets or sets a test hook called in the middle of every commit, after its events and snapshot are written and before its queue and outbox changes; when it throws, the commit is undone and the exception propagates.</summary>
    internal Action<string>? FaultInjection { get; set; }

    /// <inheritdoc />
    public Task CommitAsync(ProjectCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        commit.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (commit.Budget.Count > 0 && BudgetAccount is null)
        {
            throw new NotSupportedException("This in-memory store was created without a budget account, so it cannot apply the commit's budget operations; make them through the IBudgetAccount.");
        }

        var now = _timeProvider.GetUtcNow();
        TaskCompletionSource? signal = null;
        List<Task>? pendingBudget = null;
        lock (_gate)
        {
            // Check everything first, so that a refused commit changes nothing.
            _projects.TryGetValue(commit.ProjectId, out var record);
            long version = record?.Snapshot.Version ?? 0;
            if (record is null && commit.ExpectedVersion != 0)
            {
                throw new ProjectNotFoundException(commit.ProjectId);
            }

            if (version != commit.ExpectedVersion || (record is not null && commit.ExpectedVersion == 0))
            {
                throw new ConcurrencyException(commit.ProjectId, commit.ExpectedVersion, version);
            }

            QueueEntry? settled = null;
            if (commit.CompletesLease is { } lease)
            {
                // A lapsed lease is lost even before another worker takes the item, as RenewAsync has it.
                if (!_onQueue.TryGetValue(lease.Item.Id, out settled) || !settled.Leased || settled.Token != lease.Token || settled.ExpiresAt <= now)
                {
                    throw new LeaseLostException(lease);
                }
            }

            // Write the project first, and undo it if the fault hook throws, so a failure midway leaves nothing.
            bool creating = record is null;
            record ??= new ProjectRecord(commit.Snapshot);
            var previousSnapshot = record.Snapshot;
            int previousEvents = record.Events.Count;
            if (creating)
            {
                _projects.Add(commit.ProjectId, record);
            }

            record.Events.AddRange(commit.Events);
            record.Snapshot = commit.Snapshot;
            try
            {
                FaultInjection?.Invoke("after the events and snapshot, before the queue and outbox");
            }
            catch
            {
                record.Events.RemoveRange(previousEvents, record.Events.Count - previousEvents);
                record.Snapshot = previousSnapshot;
                if (creating)
                {
                    _projects.Remove(commit.ProjectId);
                }

                throw;
            }

            // The budget first, before the queue shows the commit's work: a worker that leases a new project's first item must
            // find the project's limit raised. The in-memory account completes at once; another account's pending calls are
            // awaited after the lock.
            foreach (var operation in commit.Budget)
            {
                var applied = ApplyBudget(BudgetAccount!, operation);
                if (!applied.IsCompleted)
                {
                    (pendingBudget ??= []).Add(applied);
                }
            }

            // Nothing below can fail.
            foreach (var message in commit.Outbox)
            {
                _outbox.Add(new OutboxEntry(++_outboxSequence, commit.ProjectId, message));
            }

            if (settled is not null)
            {
                _journal.Remove(settled.Item.Id);
                _leased.Remove(settled);
                settled.Leased = false;
                settled.Token = 0;
                settled.WorkerId = null;
                if (commit.RetryAt is { } retryAt)
                {
                    Schedule(settled, retryAt, now);
                }
                else
                {
                    _onQueue.Remove(settled.Item.Id);
                }
            }

            foreach (var item in commit.Enqueue)
            {
                if (_onQueue.ContainsKey(item.Id))
                {
                    continue; // already on the queue: scheduling it again would run it twice
                }

                var entry = new QueueEntry(item, _nextSequence++);
                _onQueue.Add(item.Id, entry);
                ReadyQueue(item.Role).Enqueue(entry);
            }

            if (commit.Enqueue.Count > 0 || commit.RetryAt is not null)
            {
                signal = TakeSignal();
            }
        }

        signal?.TrySetResult();
        return pendingBudget is null ? Task.CompletedTask : Task.WhenAll(pendingBudget);
    }

    /// <summary>Applies one of a written commit's budget operations to the account.</summary>
    private static Task ApplyBudget(IBudgetAccount account, BudgetOperation operation) => operation switch
    {
        SettleReservation settle => account.SettleAsync(new BudgetReservation(settle.ReservationId, null, settle.Cost, "commit"), settle.Cost, CancellationToken.None).AsTask(),
        RaiseBudgetLimit raise => account.RaiseLimitAsync(raise.Scope, raise.Limit, CancellationToken.None).AsTask(),
        _ => throw new NotSupportedException($"The in-memory store does not know the budget operation {operation.GetType().Name}."),
    };

    /// <inheritdoc />
    public ValueTask<ModelCallRecord?> FindAsync(string workItemId, string callKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        ArgumentException.ThrowIfNullOrEmpty(callKey);
        lock (_gate)
        {
            return ValueTask.FromResult(_journal.TryGetValue(workItemId, out var calls) && calls.TryGetValue(callKey, out var record) ? record : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordAsync(ModelCallRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(record.WorkItemId, nameof(record));
        ArgumentException.ThrowIfNullOrEmpty(record.CallKey, nameof(record));
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            // Fenced like a commit: only the try that holds the item's lease now may add to its record.
            if (!_onQueue.TryGetValue(record.WorkItemId, out var entry) || !entry.Leased || entry.Token != record.LeaseToken || entry.ExpiresAt <= now)
            {
                return ValueTask.FromResult(false);
            }

            if (!_journal.TryGetValue(record.WorkItemId, out var calls))
            {
                calls = new Dictionary<string, ModelCallRecord>(StringComparer.Ordinal);
                _journal.Add(record.WorkItemId, calls);
            }

            return ValueTask.FromResult(calls.TryAdd(record.CallKey, record));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ModelCallRecord>> ListAsync(string workItemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workItemId);
        lock (_gate)
        {
            // Dictionary keeps insertion order while nothing is removed, and records are only removed all together.
            return ValueTask.FromResult<IReadOnlyList<ModelCallRecord>>(_journal.TryGetValue(workItemId, out var calls) ? [.. calls.Values] : []);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OutboxEntry>> ReadAsync(string topic, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        lock (_gate)
        {
            var found = new List<OutboxEntry>();
            foreach (var entry in _outbox)
            {
                if (entry.Message.Topic == topic)
                {
                    found.Add(entry);
                    if (found.Count == maxCount)
                    {
                        break;
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyList<OutboxEntry>>(found);
        }
    }

    /// <inheritdoc />
    public ValueTask AcknowledgeAsync(string topic, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(sequences);
        var acknowledged = sequences.ToHashSet();
        lock (_gate)
        {
            _outbox.RemoveAll(e => e.Message.Topic == topic && acknowledged.Contains(e.Sequence));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ProjectSnapshot?> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_projects.TryGetValue(projectId, out var record) ? record.Snapshot : null);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ProjectEvent> ReadEventsAsync(ProjectId projectId, long afterVersion = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ProjectEvent[] events;
        lock (_gate)
        {
            if (!_projects.TryGetValue(projectId, out var record))
            {
                yield break;
            }

            int start = (int)Math.Clamp(afterVersion, 0, record.Events.Count);
            events = record.Events.GetRange(start, record.Events.Count - start).ToArray();
        }

        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ProjectSnapshot[] snapshots;
        lock (_gate)
        {
            snapshots = [.. _projects.Values.Select(r => r.Snapshot).Where(s => status is null || s.Status == status).OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id.Value, StringComparer.Ordinal)];
        }

        foreach (var s in snapshots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return s;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<WorkLease?> TryLeaseAsync(LeaseRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        var now = _timeProvider.GetUtcNow();
        // Computed before anything is dequeued, so an absurd duration fails without losing an item.
        var expiresAt = now + request.Duration;
        lock (_gate)
        {
            PromoteDue(now);
            Queue<QueueEntry>? best = null;
            foreach (var (role, queue) in _ready)
            {
                if (queue.Count > 0 && (request.ExcludedRoles is null || !request.ExcludedRoles.Contains(role)) && (best is null || queue.Peek().Sequence < best.Peek().Sequence))
                {
                    best = queue;
                }
            }

            if (best is null)
            {
                return ValueTask.FromResult<WorkLease?>(null);
            }

            var entry = best.Dequeue();
            entry.Leased = true;
            entry.Token = ++_nextToken;
            entry.ExpiresAt = expiresAt;
            entry.WorkerId = request.WorkerId;
            entry.Attempts++;
            _leased.Add(entry);
            if (expiresAt < _nextExpiry)
            {
                _nextExpiry = expiresAt;
            }

            return ValueTask.FromResult<WorkLease?>(new WorkLease(entry.Item, entry.Token, request.WorkerId, entry.ExpiresAt, entry.Attempts));
        }
    }

    /// <inheritdoc />
    public async ValueTask WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        Task signal;
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_workPending)
            {
                _workPending = false;
                return;
            }

            // Wake for the next delayed item or lease expiry too.
            if (_delayed.TryPeek(out _, out var due) && due - now < maxWait)
            {
                maxWait = due - now;
            }

            if (_nextExpiry - now < maxWait)
            {
                maxWait = _nextExpiry - now;
            }

            signal = _workSignal.Task;
        }

        if (maxWait <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await signal.WaitAsync(maxWait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Waking without new work is fine: the caller tries to lease again.
        }

        lock (_gate)
        {
            _workPending = false;
        }
    }

    /// <inheritdoc />
    public ValueTask<WorkLease> RenewAsync(WorkLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_onQueue.TryGetValue(lease.Item.Id, out var entry) || !entry.Leased || entry.Token != lease.Token || entry.ExpiresAt <= now)
            {
                throw new LeaseLostException(lease);
            }

            entry.ExpiresAt = now + duration;
            // A renewal may shorten the lease: the lapse scan must not wait for the old deadline.
            if (entry.ExpiresAt < _nextExpiry)
            {
                _nextExpiry = entry.ExpiresAt;
            }

            return ValueTask.FromResult(lease with { ExpiresAt = entry.ExpiresAt });
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(WorkLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        TaskCompletionSource? signal = null;
        lock (_gate)
        {
            if (_onQueue.TryGetValue(lease.Item.Id, out var entry) && entry.Leased && entry.Token == lease.Token)
            {
                entry.Attempts--; // given back untouched: that lease was no attempt
                Requeue(entry);
                signal = TakeSignal();
            }
        }

        signal?.TrySetResult();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<long>(_onQueue.Count);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TaskCompletionSource TakeSignal()
    {
        var signal = _workSignal;
        _workSignal = NewSignal();
        _workPending = true;
        return signal;
    }

    private Queue<QueueEntry> ReadyQueue(AgentRole role)
    {
        if (!_ready.TryGetValue(role, out var queue))
        {
            queue = new Queue<QueueEntry>();
            _ready.Add(role, queue);
        }

        return queue;
    }

    private void PromoteDue(DateTimeOffset now)
    {
        while (_delayed.TryPeek(out var entry, out var due) && due <= now)
        {
            _delayed.Dequeue();
            ReadyQueue(entry.Item.Role).Enqueue(entry);
        }

        // Leases are few (one per running item), so a scan when the earliest may have lapsed is cheap and keeps nothing of completed leases.
        if (_nextExpiry <= now)
        {
            _nextExpiry = DateTimeOffset.MaxValue;
            List<QueueEntry>? lapsed = null;
            foreach (var entry in _leased)
            {
                if (entry.ExpiresAt <= now)
                {
                    (lapsed ??= []).Add(entry);
                }
                else if (entry.ExpiresAt < _nextExpiry)
                {
                    _nextExpiry = entry.ExpiresAt;
                }
            }

            foreach (var entry in lapsed ?? [])
            {
                // A lapsed lease means its worker crashed or hung: its attempt was counted when it was leased.
                Requeue(entry);
            }
        }
    }

    private void Requeue(QueueEntry entry)
    {
        entry.Leased = false;
        entry.Token = 0;
        entry.WorkerId = null;
        _leased.Remove(entry);
        ReadyQueue(entry.Item.Role).Enqueue(entry);
    }

    private void Schedule(QueueEntry entry, DateTimeOffset availableAt, DateTimeOffset now)
    {
        if (availableAt > now)
        {
            _delayed.Enqueue(entry, availableAt);
        }
        else
        {
            ReadyQueue(entry.Item.Role).Enqueue(entry);
        }
    }

    private sealed class ProjectRecord(ProjectSnapshot snapshot)
    {
        public List<ProjectEvent> Events { get; } = [];

        public ProjectSnapshot Snapshot { get; set; } = snapshot;
    }

    private sealed class QueueEntry(WorkItem item, long sequence)
    {
        public WorkItem Item { get; } = item;

        public bool Leased { get; set; }

        public int Attempts { get; set; }

        public long Sequence { get; } = sequence;

        public long Token { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }

        public string? WorkerId { get; set; }
    }
}
