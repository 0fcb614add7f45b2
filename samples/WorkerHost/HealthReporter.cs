using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WorkerHost;

/// <summary>Logs the health checks' result on one line at start and then every <see cref="WorkerHostOptions.HealthLogInterval"/>.</summary>
internal sealed class HealthReporter(HealthCheckService health, IOptions<WorkerHostOptions> options, TimeProvider time, ILogger<HealthReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.HealthLogInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var report = await health.CheckHealthAsync(stoppingToken).ConfigureAwait(false);
            if (report.Status == HealthStatus.Healthy)
            {
                logger.LogInformation("{Health}", WorkerHostHealth.Describe(report));
            }
            else
            {
                logger.LogWarning("{Health}", WorkerHostHealth.Describe(report));
            }

            if (interval <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
        }
    }
}
