using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace VirtualItCompany.Storage.Redis;

/// <summary>
/// Commit announcements on Redis pub/sub (<c>{KeyPrefix}:commits</c>): published after each commit that appended events,
/// heard by every process subscribed, so a web host watching a project sees the progress its workers commit elsewhere.
/// </summary>
/// <remarks>
/// An announcement is only a hint to read the store (see <see cref="IProjectCommitAnnouncer"/>): pub/sub delivers at most
/// once, so when a connection to Redis is restored every listener is told that it may have missed some
/// (<see cref="ProjectCommitAnnouncement.MayHaveMissed"/>) and its watchers read the store.
/// </remarks>
internal sealed class RedisCommitAnnouncer(IConnectionMultiplexer connection, RedisQueueOptions options, ILogger logger) : IProjectCommitAnnouncer
{
    private readonly RedisChannel _channel = RedisChannel.Literal(options.KeyPrefix + ":commits");

    /// <summary>Gets the channel announcements are published on.</summary>
    public RedisChannel Channel => _channel;

    /// <summary>Announces a durable commit; never throws (a lost announcement delays a watcher in another process, it loses nothing).</summary>
    public void Announce(ProjectId projectId, long version)
    {
        try
        {
            connection.GetSubscriber().Publish(_channel, string.Create(CultureInfo.InvariantCulture, $"{version} {projectId.Value}"), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException or TimeoutException)
        {
            logger.LogDebug(ex, "Could not announce the commit of project {Project} at version {Version} on Redis; watchers in other processes see it at their next read.", projectId.Value, version);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IAsyncDisposable> ListenAsync(Action<ProjectCommitAnnouncement> onAnnounced, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onAnnounced);
        var subscriber = connection.GetSubscriber();
        void OnMessage(RedisChannel channel, RedisValue message)
        {
            if (Parse(message) is { } announcement)
            {
                onAnnounced(announcement);
            }
        }

        void OnRestored(object? sender, ConnectionFailedEventArgs e) => onAnnounced(ProjectCommitAnnouncement.MayHaveMissed);

        connection.ConnectionRestored += OnRestored;
        try
        {
            // Completes once Redis confirmed the subscription: a commit announced after this is heard.
            await subscriber.SubscribeAsync(_channel, OnMessage).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            connection.ConnectionRestored -= OnRestored;
            throw;
        }

        return new Listening(async () =>
        {
            connection.ConnectionRestored -= OnRestored;
            try
            {
                await subscriber.UnsubscribeAsync(_channel, OnMessage).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException or TimeoutException)
            {
                // The connection is gone or going: nothing more is delivered to this handler either way.
            }
        });
    }

    /// <summary>Reads "version projectId"; anything else on the channel is ignored.</summary>
    internal static ProjectCommitAnnouncement? Parse(RedisValue message)
    {
        string text = message.ToString();
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == text.Length - 1 || !long.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out long version))
        {
            return null;
        }

        string id = text[(space + 1)..];
        return id.Length <= 64 && !string.IsNullOrWhiteSpace(id) ? new ProjectCommitAnnouncement(new ProjectId(id), version) : null;
    }

    private sealed class Listening(Func<Task> stop) : IAsyncDisposable
    {
        private int _stopped;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 0)
            {
                await stop().ConfigureAwait(false);
            }
        }
    }
}
