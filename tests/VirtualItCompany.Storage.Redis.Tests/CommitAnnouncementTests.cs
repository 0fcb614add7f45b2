using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using VirtualItCompany.Storage.PostgreSql.Tests;
using VirtualItCompany.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Redis.Tests;

/// <summary>The live feed across processes on Redis pub/sub: commits announced after they are durable, a reconnection announced as "may have missed", and WatchAsync following another process's commits.</summary>
public sealed class CommitAnnouncementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_commit_in_one_process_is_announced_to_listeners_in_another_with_its_version()
    {
        var server = await SharedRedis.ServerAsync();
        string prefix = "ann" + Guid.NewGuid().ToString("N")[..8];
        await using var schema = new TempSchema();
        await using var listenerConnection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var writerConnection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var listener = new RedisCommitAnnouncer(listenerConnection, new RedisQueueOptions { KeyPrefix = prefix }, NullLogger.Instance);
        await using var writer = await RuntimeAsync(schema, writerConnection, prefix);
        var heard = Channel.CreateUnbounded<ProjectCommitAnnouncement>();
        await using (await listener.ListenAsync(a => heard.Writer.TryWrite(a), Ct))
        {
            var id = ProjectId.New();
            var created = ProjectCommits.Create(id, DateTimeOffset.UtcNow, ProjectCommits.Item(id, AgentRole.Developer, DateTimeOffset.UtcNow));
            await writer.Store.CommitAsync(created, Ct);

            var announcement = await ReadAsync(heard.Reader);
            Assert.Equal(new ProjectCommitAnnouncement(id, created.Snapshot.Version), announcement);

            // A commit without events (a settlement only) appends nothing to watch, so it is not announced.
            var lease = await writer.Queue.TryLeaseAsync(new LeaseRequest("w1", TimeSpan.FromMinutes(1)), Ct);
            Assert.NotNull(lease);
            await writer.Store.CommitAsync(new ProjectCommit(id, created.Snapshot.Version, [], created.Snapshot) { CompletesLease = lease }, Ct);
            var next = ProjectCommits.Next(created.Snapshot, DateTimeOffset.UtcNow, new ProjectCancelled("stop"));
            await writer.Store.CommitAsync(next, Ct);
            Assert.Equal(new ProjectCommitAnnouncement(id, next.Snapshot.Version), await ReadAsync(heard.Reader));
        }

        // Stopped listening: nothing more is delivered.
        await writerConnection.GetSubscriber().PublishAsync(listener.Channel, "1 prj_after");
        await Task.Delay(200, Ct);
        Assert.False(heard.Reader.TryRead(out _), "An announcement reached a listener that had stopped.");
    }

    [Fact]
    public async Task After_Redis_restarts_listeners_are_told_they_may_have_missed_announcements()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var announcer = new RedisCommitAnnouncer(connection, new RedisQueueOptions(), NullLogger.Instance);
        var heard = Channel.CreateUnbounded<ProjectCommitAnnouncement>();
        await using var listening = await announcer.ListenAsync(a => heard.Writer.TryWrite(a), Ct);

        await server.RestartAsync();

        Assert.Equal(ProjectCommitAnnouncement.MayHaveMissed, await ReadAsync(heard.Reader, TimeSpan.FromSeconds(60)));
        // Subscribed again after the reconnection: announcements flow once more.
        var id = ProjectId.New();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        ProjectCommitAnnouncement? received = null;
        while (received?.ProjectId != id && DateTime.UtcNow < deadline)
        {
            announcer.Announce(id, 7);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            wait.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                received = await heard.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
            }
        }

        Assert.Equal(new ProjectCommitAnnouncement(id, 7), received);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("7 ")]
    [InlineData("x prj_1")]
    [InlineData("-1 prj_1")]
    public void Messages_that_are_not_announcements_are_ignored(string message) => Assert.Null(RedisCommitAnnouncer.Parse(message));

    [Fact]
    public async Task WatchAsync_in_one_process_follows_what_another_process_commits_through_Redis()
    {
        var server = await SharedRedis.ServerAsync();
        string prefix = "feed" + Guid.NewGuid().ToString("N")[..8];
        await using var schema = new TempSchema();
        await using var web = Company(schema.Name, server.Configuration, prefix);
        await using var worker = Company(schema.Name, server.Configuration, prefix);
        Assert.IsType<RedisCommitAnnouncer>(web.GetRequiredService<IProjectCommitAnnouncer>());
        var webCompany = web.GetRequiredService<IDeliveryCompany>();
        var project = await webCompany.SubmitAsync(new ProjectBrief { Title = "Feed", Description = "Watched across processes.", AcceptanceCriteria = ["works"], Budget = 5m }, Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var seen = new List<ProjectEvent>();
        var watching = Task.Run(
            async () =>
            {
                await foreach (var e in webCompany.WatchAsync(project.Id, cancellationToken: timeout.Token))
                {
                    seen.Add(e);
                }
            },
            Ct);
        while (seen.Count < project.Version)
        {
            await Task.Delay(20, Ct);
        }

        await worker.GetRequiredService<IDeliveryCompany>().CancelAsync(project.Id, "cancelled by the worker host", Ct);

        await watching;
        Assert.Equal("cancelled by the worker host", Assert.IsType<ProjectCancelled>(seen[^1]).Reason);
        Assert.Equal(Enumerable.Range(1, seen.Count).Select(v => (long)v), seen.Select(e => e.Version));
        await RedisKeys.DeleteAsync(worker.GetRequiredService<RedisQueueRuntime>());
    }

    private static ServiceProvider Company(string schema, string redis, string prefix)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(new FakeChatClient("fake-model", new ModelPricing(1m, 2m)));
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        var builder = services.AddVirtualItCompany()
            .UsePostgreSqlStorage(o =>
            {
                o.ConnectionString = TestPostgres.ConnectionString;
                o.Schema = schema;
            })
            .UseRedisQueue(o =>
            {
                o.Configuration = redis;
                o.KeyPrefix = prefix;
            });
        foreach (var agent in ForwardAgent.ForAllRoles())
        {
            builder.AddAgent(agent);
        }

        return services.BuildServiceProvider();
    }

    private static async Task<RedisQueueRuntime> RuntimeAsync(TempSchema schema, IConnectionMultiplexer connection, string prefix)
    {
        var store = await schema.OpenStoreAsync();
        return new RedisQueueRuntime(store, store, store, connection, ownsConnection: false, new RedisQueueOptions { Configuration = "unused", KeyPrefix = prefix }, TimeProvider.System, null);
    }

    private static async Task<ProjectCommitAnnouncement> ReadAsync(ChannelReader<ProjectCommitAnnouncement> reader, TimeSpan? limit = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(limit ?? TimeSpan.FromSeconds(10));
        return await reader.ReadAsync(timeout.Token);
    }
}
