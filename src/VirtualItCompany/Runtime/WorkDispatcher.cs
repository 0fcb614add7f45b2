using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Runtime;

/// <summary>Pulls work items from the queue and runs them on a fixed number of workers, within each role's concurrency limit.</summary>
/// <remarks>One pump leases items only for roles with a free slot and hands them to the workers over a channel, so no more items are leased than can run.</remarks>
public sealed class WorkDispatcher
{
    private readonly IWorkQueue _queue;
    private readonly WorkOrchestrator _orchestrator;
    private readonly CompanyOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private int _running;
    private int _busy;
    private long _finished;
    private long _failed;
    private int _leaseFailures;
    private long _lastLeasedAt = long.MinValue;
    private long _lastFinishedAt = long.MinValue;

    /// <summary>Creates the dispatcher.</summary>
    /// <param name="queue">The work queue.</param>
    /// <param name="orchestrator">Runs each item.</param>
    /// <param name="options">Workers, role limits, lease duration and poll interval.</param>
    /// <param name="timeProvider">The clock of the poll and back-off waits.</param>
    /// <param name="logger">The logger.</param>
    internal WorkDispatcher(IWorkQueue queue, WorkOrchestrator orchestrator, IOptions<CompanyOptions> options, TimeProvider timeProvider, ILogger<WorkDispatcher>? logger = null)
    {
        _timeProvider = timeProvider;
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(orchestrator);
        ArgumentNullException.ThrowIfNull(options);
        _queue = queue;
        _orchestrator = orchestrator;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets a name that identifies this process's workers on leases.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Gets a snapshot of this process's workers: running or not, how many are busy, what they finished, whether the queue answers.</summary>
    /// <returns>The snapshot; reading it takes no lock and does not touch the store.</returns>
    public WorkerHealth GetHealth() => new(
        WorkerId,
        Volatile.Read(ref _running) == 1,
        _options.Workers,
        Volatile.Read(ref _busy),
        Interlocked.Read(ref _finished),
        Interlocked.Read(ref _failed),
        Volatile.Read(ref _leaseFailures),
        Time(Interlocked.Read(ref _lastLeasedAt)),
        Time(Interlocked.Read(ref _lastFinishedAt)));

    private static DateTimeOffset? Time(long ticks) => ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    /// <summary>
    /// Runs the workers until cancelled; no item is leased after that, the items in progress get
    /// <see cref="CompanyOptions.ShutdownGracePeriod"/> to finish, and those still running are then stopped and released for another worker.
    /// </summary>
    /// <param name="cancellationToken">Stops the workers.</param>
    /// <returns>A task that completes when every worker has stopped.</returns>
    /// <exception cref="InvalidOperationException">The dispatcher is already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("This dispatcher is already running; run it once per process (AddWorker() does).");
        }

        try
        {
            var slots = new RoleSlots(_options);
            int pumps = PumpCount(_options);
            var channel = Channel.CreateBounded<WorkLease>(new BoundedChannelOptions(_options.Workers) { SingleWriter = pumps == 1 });
            // Stopping stops the leasing at once; the items in progress are stopped once the grace period is over.
            using var work = new CancellationTokenSource();
            var workers = new Task[_options.Workers];
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Run(() => WorkAsync(channel.Reader, slots, cancellationToken, work.Token), CancellationToken.None);
            }

            try
            {
                if (pumps == 1)
                {
                    await PumpAsync(channel.Writer, slots, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var pumping = new Task[pumps];
                    for (int i = 0; i < pumping.Length; i++)
                    {
                        pumping[i] = Task.Run(() => PumpAsync(channel.Writer, slots, cancellationToken), CancellationToken.None);
                    }

                    await Task.WhenAll(pumping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                channel.Writer.TryComplete();
                var stopped = Task.WhenAll(workers);
                if (_options.ShutdownGracePeriod > TimeSpan.Zero && !stopped.IsCompleted)
                {
                    int busy = Volatile.Read(ref _busy);
                    _logger.LogInformation("Stopping: {Busy} item(s) in progress get up to {Grace} to finish.", busy, _options.ShutdownGracePeriod);
                    await Task.WhenAny(stopped, Task.Delay(_options.ShutdownGracePeriod, _timeProvider, CancellationToken.None)).ConfigureAwait(false);
                    if (!stopped.IsCompleted)
                    {
                        _logger.LogWarning("Stopping: {Busy} item(s) did not finish within {Grace}; they are stopped and released for another worker.", Volatile.Read(ref _busy), _options.ShutdownGracePeriod);
                    }
                }

                await work.CancelAsync().ConfigureAwait(false);
                await stopped.ConfigureAwait(false);
                // Leases handed over but never started go back to the queue.
                while (channel.Reader.TryRead(out var unstarted))
                {
                    await _queue.ReleaseAsync(unstarted, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// How many pumps lease at once. A durable queue answers a lease only once it is on disk, so one pump leases at most one
    /// item per flush, however many workers wait; several pumps lease in the same flush (group commit). With role limits one
    /// pump keeps the limits exact (the roles at their limit are read before each lease).
    /// </summary>
    internal static int PumpCount(CompanyOptions options) =>
        options.RoleConcurrency.Count > 0 ? 1 : Math.Clamp(options.Workers / WorkersPerPump, 1, MaxPumps);

    private const int WorkersPerPump = 8;

    private const int MaxPumps = 32;

    private async Task PumpAsync(ChannelWriter<WorkLease> writer, RoleSlots slots, CancellationToken cancellationToken)
    {
        int failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var fullRoles = slots.TryReserveAny();
            if (fullRoles is null)
            {
                await slots.WaitForFreeSlotAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            WorkLease? lease;
            try
            {
                lease = await _queue.TryLeaseAsync(new LeaseRequest(WorkerId, _options.LeaseDuration, fullRoles.Count == 0 ? null : fullRoles), cancellationToken).ConfigureAwait(false);
                failures = 0;
                Volatile.Write(ref _leaseFailures, 0);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
            {
                // A storage outage must not stop the workers: wait, then try again.
                slots.Unreserve();
                failures++;
                Volatile.Write(ref _leaseFailures, failures);
                _logger.LogError(ex, "Leasing work failed ({Failures} time(s) in a row); trying again.", failures);
                await Task.Delay(_options.PollInterval * Math.Min(failures, 10), _timeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (lease is null)
            {
                slots.Unreserve();
                var newWork = WaitForWorkAsync(cancellationToken);
                // Work may be waiting for a role at its limit: a finished item of that role frees it.
                await (fullRoles.Count == 0 ? newWork : Task.WhenAny(newWork, slots.WaitForFreeSlotAsync(_options.PollInterval, cancellationToken))).ConfigureAwait(false);
                continue;
            }

            slots.Commit(lease.Item.Role);
            Interlocked.Exchange(ref _lastLeasedAt, _timeProvider.GetUtcNow().UtcTicks);
            try
            {
                await writer.WriteAsync(lease, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                slots.Release(lease.Item.Role);
                await _queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _queue.WaitForWorkAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "Waiting for work failed; polling again.");
            await Task.Delay(_options.PollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WorkAsync(ChannelReader<WorkLease> reader, RoleSlots slots, CancellationToken cancellationToken, CancellationToken workToken)
    {
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (!reader.TryRead(out var lease))
            {
                continue;
            }

            try
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await _queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }

                Interlocked.Increment(ref _busy);
                try
                {
                    await _orchestrator.ProcessAsync(lease, workToken).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _busy);
                    Interlocked.Increment(ref _finished);
                    Interlocked.Exchange(ref _lastFinishedAt, _timeProvider.GetUtcNow().UtcTicks);
                }
            }
            catch (OperationCanceledException) when (workToken.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The lease lapses and the item runs again; nothing was committed.
                Interlocked.Increment(ref _failed);
                _logger.LogError(ex, "Work item {WorkItem} could not be committed; it will run again when its lease expires.", lease.Item.DisplayName);
            }
            finally
            {
                slots.Release(lease.Item.Role);
            }
        }
    }
}
