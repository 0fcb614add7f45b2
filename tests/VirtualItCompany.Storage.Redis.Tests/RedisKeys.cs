using StackExchange.Redis;

namespace VirtualItCompany.Storage.Redis.Tests;

/// <summary>Removes what a test's Redis queue left on the shared server (its stream and the keys beside it).</summary>
internal static class RedisKeys
{
    public static async Task DeleteAsync(RedisQueueRuntime runtime)
    {
        var stream = runtime.Stream;
        try
        {
            await runtime.Connection.GetDatabase().KeyDeleteAsync([stream.StreamKey, stream.DelayedKey, stream.DeadKey, stream.MarkerKey, stream.RebuildLockKey]);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // The server or the connection is gone already: nothing is left to clean.
        }
    }
}
