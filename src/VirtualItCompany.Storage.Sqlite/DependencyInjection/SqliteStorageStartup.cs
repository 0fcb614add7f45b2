using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>Opens the SQLite file when the host starts, so a file that cannot be used (not a database, another application's, newer, read-only, locked) stops the start with its message instead of failing the first work item.</summary>
internal sealed class SqliteStorageStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SqliteDatabase>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
