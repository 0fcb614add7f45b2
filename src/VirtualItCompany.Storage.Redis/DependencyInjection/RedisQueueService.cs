using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany.Storage.Redis;

/// <summary>Checks the Redis queue at start (store, connection, persistence, stream), then relays the outbox and trims the stream in the background until the host stops.</summary>
internal sealed class RedisQueueService(RedisQueueRuntime runtime, TimeProvider time) : IHostedService, IAsyncDisposable
{
    private const int TrimEvery = 30;
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runtime.CheckPersistenceAsync().ConfigureAwait(false);
        if (!await runtime.Relay.TryEnsureReadyAsync(cancellationToken).ConfigureAwait(false))
        {
            // Not a reason to fail the start: the stream is checked again at each use, and until it is ready this host's
            // workers lease from the store directly (its fencing holds either way).
            runtime.Logger.LogInformation("Another process is rebuilding the Redis work stream '{Stream}' from the store; this host starts meanwhile, and its workers lease from the store until the stream is ready.", runtime.Stream.StreamKey.ToString());
        }

        _stopping = new CancellationTokenSource();
        _loop = RunAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public ValueTask DisposeAsync()
    {
        _stopping?.Cancel();
        _stopping?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        int round = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(runtime.Stream.Options.RelayInterval, time, stopping).ConfigureAwait(false);
                await runtime.Relay.PumpAsync(stopping).ConfigureAwait(false);
                if (++round % TrimEvery == 0)
                {
                    await runtime.Stream.TrimAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive any fault: the outbox keeps what it could not relay.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                runtime.Relay.Invalidate();
                runtime.Logger.LogWarning(ex, "The Redis relay pass failed; the outbox keeps the work and the next pass retries.");
            }
        }
    }
}
