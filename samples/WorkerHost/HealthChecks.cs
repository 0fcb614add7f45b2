using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VirtualItCompany;
using VirtualItCompany.Providers.Offline;
using VirtualItCompany.Runtime;

namespace WorkerHost;

/// <summary>The database answers a read (the project list).</summary>
internal sealed class DatabaseHealthCheck(IProjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await foreach (var _ in store.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            return HealthCheckResult.Healthy($"answered in {watch.ElapsedMilliseconds} ms");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"does not answer: {e.GetType().Name}: {e.Message}", e);
        }
    }
}

/// <summary>The queue answers (its depth), and this process's workers can lease from it.</summary>
internal sealed class QueueHealthCheck(IWorkQueue queue, WorkDispatcher dispatcher) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long depth;
        try
        {
            depth = await queue.CountAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"does not answer: {e.GetType().Name}: {e.Message}", e);
        }

        var workers = dispatcher.GetHealth();
        string text = $"depth {depth}; workers {(workers.Running ? $"{workers.Busy}/{workers.Workers} busy, {workers.ItemsFinished} finished, {workers.ItemsFailed} failed" : "not running in this process")}";
        return workers.Running && workers.LeaseFailures > 0
            ? HealthCheckResult.Degraded($"{text}; leasing failed {workers.LeaseFailures} time(s) in a row")
            : HealthCheckResult.Healthy(text);
    }
}

/// <summary>Every registered model's client can be made (keys and addresses configured); no model is called (a call costs money).</summary>
internal sealed class ModelsHealthCheck(IEnumerable<ModelRegistration> models, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        foreach (var model in models)
        {
            try
            {
                // The client is made as the company makes it; a missing key or address fails here, naming what to set.
                using var client = model.CreateClient(services);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"{model.Profile.Provider}/{model.Profile.ModelId} cannot be used: {e.Message}", e));
            }

            names.Add(model.Profile.Provider == OfflineModel.ProviderName
                ? $"{model.Profile.ModelId} (offline stand-in, no AI)"
                : $"{model.Profile.Provider}/{model.Profile.ModelId}");
        }

        return Task.FromResult(names.Count == 0
            ? HealthCheckResult.Unhealthy("no model is registered")
            : HealthCheckResult.Healthy(string.Join(", ", names)));
    }
}

internal static class WorkerHostHealth
{
    public static IServiceCollection AddWorkerHostHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", timeout: TimeSpan.FromSeconds(10))
            .AddCheck<QueueHealthCheck>("queue", timeout: TimeSpan.FromSeconds(10))
            .AddCheck<ModelsHealthCheck>("models", timeout: TimeSpan.FromSeconds(10));
        return services;
    }

    /// <summary>One line: the overall status, then each check's status and description.</summary>
    public static string Describe(HealthReport report) =>
        $"health {report.Status}: " + string.Join("; ", report.Entries.Select(e => $"{e.Key} {e.Value.Status} ({e.Value.Description})"));
}
