using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany;

namespace PackageSnippets;

/// <summary>
/// src/VirtualItCompany.Storage.Redis/README.md: work delivered through Redis Streams on top of the authoritative store.
/// Building the host needs no server; starting it needs a Redis at localhost:6379 (tests/VirtualItCompany.Storage.Redis.Tests
/// runs the same set-up against a real redis-server).
/// </summary>
internal static class RedisSnippets
{
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder();
        // README:start
        builder.Services.AddVirtualItCompany()
            .UseSqliteStorage("Data Source=company.db")   // the truth: UsePostgreSqlStorage(...) for many machines
            .UseRedisQueue("localhost:6379")              // the fast delivery path, layered on the store above
            .AddOfflineModel()
            .AddWorker();
        // README:end
        return builder.Build();
    }
}
