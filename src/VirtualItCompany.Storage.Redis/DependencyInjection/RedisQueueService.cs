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
        await runtime.Relay.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
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
