namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>
/// PostgreSQL restarted mid-run (pg_ctl restart of a private server started by eng/test-servers.sh, so the shared test
/// server is left alone): the workers' operations fail, are retried with backoff, and the run finishes with every item
/// committed exactly once.
/// </summary>
public sealed class RestartTests
{
    private const int Items = 300;

    [Fact]
    public async Task The_store_carries_on_after_a_server_restart_with_no_work_lost_or_doubled()
    {
        await using var server = await PrivatePostgreSqlServer.StartAsync(Work.Ct);
        var options = new PostgreSqlStorageOptions { ConnectionString = server.ConnectionString, Schema = "restart_test", MaxRetryAttempts = 20, RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromSeconds(2) };
        await using var first = await PostgreSqlDatabase.OpenAsync(options, TimeProvider.System, cancellationToken: Work.Ct);
        await using var second = await PostgreSqlDatabase.OpenAsync(options, TimeProvider.System, cancellationToken: Work.Ct);
        var stores = new[] { new PostgreSqlCompanyStore(first), new PostgreSqlCompanyStore(second) };
        var (snapshot, ids) = await Work.EnqueueAsync(stores[0], Items, TimeProvider.System.GetUtcNow());
        int committed = 0;

        var workers = stores.Select((store, n) => Task.Run(() => RunAsync(store, $"w{n}"), Work.Ct)).ToArray();
        while (Volatile.Read(ref committed) < Items / 3)
        {
            await Task.Delay(10, Work.Ct);
        }

        await server.RestartAsync(Work.Ct);
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3), Work.Ct);

        var done = await Work.DoneAsync(stores[0]);
        Assert.Equal(ids.Order(StringComparer.Ordinal), done.Select(d => d.Message.Key).Order(StringComparer.Ordinal));
        Assert.Equal(0, await stores[0].CountAsync(Work.Ct));
        Assert.True(first.Retries + second.Retries > 0, "The restart made no operation fail and retry: it came too late to test anything.");

        async Task RunAsync(PostgreSqlCompanyStore store, string worker)
        {
            while (true)
            {
                // Short leases: a lease granted by a statement whose reply the restart lost is held by nobody, and lapses soon.
                var lease = await store.TryLeaseAsync(new LeaseRequest(worker, TimeSpan.FromSeconds(3), new HashSet<AgentRole>()), Work.Ct);
                if (lease is null)
                {
                    if (await store.CountAsync(Work.Ct) == 0)
                    {
                        return;
                    }

                    await Task.Delay(20, Work.Ct);
                    continue;
                }

                try
                {
                    await store.CommitAsync(Work.Settle(snapshot, lease, worker), Work.Ct);
                    Interlocked.Increment(ref committed);
                }
                catch (LeaseLostException)
                {
                    // The restart outlasted the lease: another try commits the item.
                }
            }
        }
    }
}
