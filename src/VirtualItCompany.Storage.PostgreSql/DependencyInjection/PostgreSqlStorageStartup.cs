using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>Connects and migrates when the host starts, so a database that cannot be used (unreachable, wrong password, missing, newer schema) stops the start with its message instead of failing the first work item.</summary>
internal sealed class PostgreSqlStorageStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<PostgreSqlDatabase>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
