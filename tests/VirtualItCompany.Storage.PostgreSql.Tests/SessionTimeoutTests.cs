using Npgsql;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>
/// A server that ends a session idle inside its transaction (<c>idle_in_transaction_session_timeout</c>, which operators
/// set so that a stalled client cannot hold row locks for long): the worker that stalled there (stopped with SIGSTOP, a
/// long GC pause) finds its connection gone when it goes on; its transaction was rolled back, and the operation is tried
/// again on a new connection, as after any lost connection.
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
        var (snapshot, ids) = await Work.EnqueueAsync(store, 1, TimeProvider.System.GetUtcNow());
        var lease = await store.TryLeaseAsync(new LeaseRequest("w", TimeSpan.FromMinutes(1), new HashSet<AgentRole>()), Work.Ct);
        Assert.NotNull(lease);

        // The first try stalls inside its transaction, past the server's limit: the server ends the session.
        store.BeforeCommit = attempt =>
        {
            if (attempt == 0)
            {
                Thread.Sleep(1500);
            }
        };
        await store.CommitAsync(Work.Settle(snapshot, lease, "w"), Work.Ct);

        Assert.True(database.Retries >= 1, "The stalled commit was not tried again.");
        var done = await Work.DoneAsync(store);
        Assert.Equal(ids, done.Select(d => d.Message.Key));
        Assert.Equal(0, await store.CountAsync(Work.Ct));
    }
}
