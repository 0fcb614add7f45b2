using Microsoft.Extensions.Diagnostics.HealthChecks;
using VirtualItCompany;

namespace WebHost;

/// <summary>Ready when the store answers: the work queue can be counted.</summary>
internal sealed class StorageHealthCheck(IWorkQueue queue) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            long depth = await queue.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"queue depth {depth}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store does not answer.", e);
        }
    }
}
