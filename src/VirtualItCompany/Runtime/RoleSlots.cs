namespace VirtualItCompany.Runtime;

/// <summary>Counts the work items running, in all and per role, against the configured limits.</summary>
internal sealed class RoleSlots
{
    private static readonly HashSet<AgentRole> NoRole = [];

    private readonly Lock _gate = new();
    private readonly int _workers;
    private readonly Dictionary<AgentRole, int> _limits = [];
    private readonly Dictionary<AgentRole, int> _running = [];
    private TaskCompletionSource _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _total;

    public RoleSlots(CompanyOptions options)
    {
        _workers = options.Workers;
        foreach (var (role, limit) in options.RoleConcurrency)
        {
            _limits[new AgentRole(role)] = limit;
        }
    }

    /// <summary>Reserves a worker slot; returns the roles at their limit (empty: none), or null when all workers are busy.</summary>
    public IReadOnlySet<AgentRole>? TryReserveAny()
    {
        lock (_gate)
        {
            if (_total >= _workers)
            {
                return null;
            }

            _total++;
            if (_limits.Count == 0)
            {
                return NoRole;
            }

            // Roles without a limit are always open; limited roles only while they have room.
            HashSet<AgentRole>? full = null;
            foreach (var (role, limit) in _limits)
            {
                if (_running.GetValueOrDefault(role) >= limit)
                {
                    (full ??= []).Add(role);
                }
            }

            return full ?? NoRole;
        }
    }

    public void Unreserve()
    {
        lock (_gate)
        {
            _total--;
        }
    }

    public void Commit(AgentRole role)
    {
        lock (_gate)
        {
            _running[role] = _running.GetValueOrDefault(role) + 1;
        }
    }

    public void Release(AgentRole role)
    {
        TaskCompletionSource freed;
        lock (_gate)
        {
            _total--;
            _running[role] = _running.GetValueOrDefault(role) - 1;
            freed = _freed;
            _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // One signal wakes whoever waits now; releases with nobody waiting do not pile up.
        freed.TrySetResult();
    }

    public async Task WaitForFreeSlotAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        Task freed;
        lock (_gate)
        {
            if (_total < _workers && _limits.Count == 0)
            {
                return;
            }

            freed = _freed.Task;
        }

        try
        {
            await freed.WaitAsync(maxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Look again anyway.
        }
    }
}
