using Npgsql;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>
/// Commits whose connection is lost at the worst moment. A server that ends a session idle inside its transaction
/// (<c>idle_in_transaction_session_timeout</c>, which operators set so that a stalled client cannot hold row locks for
/// long): the worker that stalled there (stopped with SIGSTOP, a long GC pause) finds its connection gone when it goes on;
/// its transaction was rolled back, and the operation is tried again on a new connection, as after any lost connection. And
/// a commit sent in one round trip whose reply is lost after it committed: tried again, it finds itself done.
/// </summary>
public sealed class SessionTimeoutTests
{
    [Fact]
    public async Task A_commit_whose_session_the_server_ended_while_it_stalled_in_its_transaction_is_tried_again_and_lands_once()
    {
        await using var schema = new TempSchema();
        var database = await schema.OpenAsync(configure: o =>
        {
            o.ConnectionString = new NpgsqlConnectionStringBuilder(o.ConnectionString) { Options = "-c idle_in_transaction_session_timeout=300" }.ConnectionString;
            o.RetryDelay = TimeSpan.FromMilliseconds(20);
        });
        var store = new PostgreSqlCompanyStore(database);
        var now = TimeProvider.System.GetUtcNow();
        var id = ProjectId.New();
        var item = ProjectCommits.Item(id, AgentRole.Developer, now, "first");
        // A new project's commit has a transaction block of its own (its row is its insert, checked in the transaction).
        var created = ProjectCommits.Create(id, now, item) with { Outbox = [new OutboxMessage("done", "created", "w")] };

        // The first try stalls inside its transaction, past the server's limit: the server ends the session.
        store.BeforeCommit = attempt =>
        {
            if (attempt == 0)
            {
                Thread.Sleep(1500);
            }
        };
        await store.CommitAsync(created, Work.Ct);

        Assert.True(database.Retries >= 1, "The stalled commit was not tried again.");
        Assert.Equal(["created"], (await Work.DoneAsync(store)).Select(d => d.Message.Key));
        Assert.Equal(1, await store.CountAsync(Work.Ct));
        Assert.Equal(created.Events.Count, await store.ReadEventsAsync(id, 0, Work.Ct).CountAsync(Work.Ct));
        Assert.Equal(created.Snapshot.Version, (await store.GetAsync(id, Work.Ct))!.Version);
    }

    [Fact]
    public async Task A_commit_sent_in_one_round_trip_whose_reply_is_lost_after_it_committed_is_tried_again_and_lands_once()
    {
        await using var schema = new TempSchema();
        var database = await schema.OpenAsync(configure: o => o.RetryDelay = TimeSpan.FromMilliseconds(20));
        var store = new PostgreSqlCompanyStore(database);
        var now = TimeProvider.System.GetUtcNow();
        var (snapshot, ids) = await Work.EnqueueAsync(store, 1, now);
        var lease = await store.TryLeaseAsync(new LeaseRequest("w", TimeSpan.FromMinutes(1), new HashSet<AgentRole>()), Work.Ct);
        Assert.NotNull(lease);
        // With events, so that running it twice would also show as a version conflict or events written twice.
        var settle = ProjectCommits.Next(snapshot, now, new FilesChanged(["settled.txt"], null)) with
        {
            CompletesLease = lease,
            Outbox = [new OutboxMessage("done", lease.Item.Id, "w")],
        };

        // The commit landed; the connection breaks before its reply is read.
        store.BeforeCommit = attempt =>
        {
            if (attempt == 0)
            {
                throw new NpgsqlException("The reply was lost (test).", new IOException("connection reset"));
            }
        };
        await store.CommitAsync(settle, Work.Ct);

        Assert.True(database.Retries >= 1, "The commit was not tried again.");
        Assert.Equal(ids, (await Work.DoneAsync(store)).Select(d => d.Message.Key));
        Assert.Equal(0, await store.CountAsync(Work.Ct));
        Assert.Equal(settle.Snapshot.Version, (await store.GetAsync(snapshot.Id, Work.Ct))!.Version);
        Assert.Equal(settle.Snapshot.Version, await store.ReadEventsAsync(snapshot.Id, 0, Work.Ct).CountAsync(Work.Ct));
    }
}
