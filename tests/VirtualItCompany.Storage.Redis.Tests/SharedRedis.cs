using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(VirtualItCompany.Storage.Redis.Tests.SharedRedis))]

namespace VirtualItCompany.Storage.Redis.Tests;

/// <summary>The server shared by the tests of this assembly, and one connection to it; stopped when the tests end.</summary>
public sealed class SharedRedis : IAsyncDisposable
{
    private static readonly Lazy<Task<(RedisServer Server, ConnectionMultiplexer Connection)>> Instance = new(async () =>
    {
        var server = await RedisServer.FromEnvironmentOrStartAsync();
        var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        return (server, connection);
    });

    public static async Task<RedisServer> ServerAsync() => (await Instance.Value).Server;

    public static async Task<ConnectionMultiplexer> ConnectionAsync() => (await Instance.Value).Connection;

    public async ValueTask DisposeAsync()
    {
        if (Instance.IsValueCreated)
        {
            var (server, connection) = await Instance.Value;
            await connection.DisposeAsync();
            await server.DisposeAsync();
        }
    }
}
