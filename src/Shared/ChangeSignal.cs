// One source for the storage adapters' wake-up signal, compiled into each (linked by VirtualItCompany.Storage.Sqlite and
// VirtualItCompany.Storage.PostgreSql).
namespace VirtualItCompany;

/// <summary>Wakes this process's waiters when a write (here or, announced by the database, in another process) may have changed what they wait for (work to lease, budget freed).</summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _changed = NewSource();
    private int _pending;

    /// <summary>Gets the task that completes at the next change; take it before checking, so a change in between is not missed.</summary>
    public Task Next => Volatile.Read(ref _changed).Task;

    /// <summary>Wakes every waiter and remembers the change for the next one that asks (<see cref="TryConsume"/>).</summary>
    public void Raise()
    {
        Volatile.Write(ref _pending, 1);
        Interlocked.Exchange(ref _changed, NewSource()).TrySetResult();
    }

    /// <summary>Takes the remembered change, if any.</summary>
    public bool TryConsume() => Interlocked.Exchange(ref _pending, 0) == 1;

    /// <summary>Forgets the remembered change (a waiter woke and will look for itself).</summary>
    public void Clear() => Volatile.Write(ref _pending, 0);

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
