namespace VirtualItCompany.Runtime;

/// <summary>Renews a lease while its agent works, and cancels the work if the lease is lost.</summary>
internal sealed class LeaseKeeper : IDisposable
{
    private readonly IWorkQueue _queue;
    private readonly TimeSpan _duration;
    private readonly CancellationTokenSource _cts;
    private readonly ITimer _timer;
    private readonly TimeProvider _timeProvider;
    private WorkLease _lease;
    private int _renewing;
    private volatile bool _stopped;

    public LeaseKeeper(IWorkQueue queue, WorkLease lease, TimeSpan duration, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _queue = queue;
        _lease = lease;
        _duration = duration;
        _timeProvider = timeProvider;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var period = duration / 3;
        _timer = timeProvider.CreateTimer(static s => ((LeaseKeeper)s!).Renew(), this, period, period);
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>Gets the source that cancels the work (a lost lease, a stopping worker, or a cancelled project).</summary>
    public CancellationTokenSource Source => _cts;

    public bool Lost { get; private set; }

    public void Stop()
    {
        _stopped = true;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        Stop();
        _timer.Dispose();
        _cts.Dispose();
    }

    private async void Renew()
    {
        if (_stopped || Interlocked.Exchange(ref _renewing, 1) == 1)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_duration / 3, _timeProvider);
            _lease = await _queue.RenewAsync(_lease, _duration, timeout.Token).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            Lost = true;
            if (!_stopped)
            {
                try
                {
                    await _cts.CancelAsync().ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // The work already ended.
                }
            }
        }
        catch (Exception)
        {
            // A failed renewal is tried again on the next tick; the lease lasts until then.
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }
}
