using Microsoft.Extensions.Time.Testing;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>Two workers (two store instances with pools of their own, as two processes) race for the same items: each item is committed exactly once, and a lease that lapsed while its holder was paused is fenced off.</summary>
public sealed class RaceTests
{
    /// <summary>
    /// How many items the two workers race for: the 10,000 (about 60 s on the shared 2-core CI machine under load;
    /// this assembly is not the long pole of the test run, which runs assemblies in parallel).
    /// </summary>
    internal const int Races = 10_000;

    /// <summary>Every this many leases a worker "pauses" past its lease before committing (the shared clock jumps), so the other worker may take the item.</summary>
    private const int PauseEvery = 97;

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Two_workers_racing_for_the_same_items_commit_each_exactly_once_and_a_lapsed_lease_never_commits()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var schema = new TempSchema();
        var first = await schema.OpenStoreAsync(clock);
        var second = await schema.OpenStoreAsync(clock);
        var (snapshot, ids) = await Work.EnqueueAsync(first, Races, clock.GetUtcNow());

        var results = await Task.WhenAll(RunAsync(first, "w1"), RunAsync(second, "w2"));

        var done = await Work.DoneAsync(first);
        Assert.Equal(ids.Order(StringComparer.Ordinal), done.Select(d => d.Message.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Races, results.Sum(r => r.Committed));
        Assert.Equal(0, await first.CountAsync(Work.Ct));
        Assert.All(results, r => Assert.True(r.Committed > 0, "Both workers took part in the race."));
        Assert.True(results.Sum(r => r.Fenced) >= Races / PauseEvery / 2, $"Paused workers were refused {results.Sum(r => r.Fenced)} times.");

        async Task<(int Committed, int Fenced)> RunAsync(PostgreSqlCompanyStore store, string worker)
        {
            int committed = 0, fenced = 0, leased = 0;
            while (true)
            {
                var lease = await store.TryLeaseAsync(new LeaseRequest(worker, LeaseDuration, new HashSet<AgentRole>()), Work.Ct);
                if (lease is null)
                {
                    if (await store.CountAsync(Work.Ct) == 0)
                    {
                        return (committed, fenced);
                    }

                    await Task.Yield();
                    continue;
                }

                bool paused = ++leased % PauseEvery == 0;
                if (paused)
                {
                    // The holder stops past its lease: the item is anyone's again, and this lease can no longer commit.
                    clock.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
                }

                try
                {
                    await store.CommitAsync(Work.Settle(snapshot, lease, worker), Work.Ct);
                    Assert.False(paused, $"{worker} committed item {lease.Item.Id} with a lease that had lapsed.");
                    committed++;
                }
                catch (LeaseLostException)
                {
                    fenced++;
                }
            }
        }
    }

    [Fact]
    public async Task A_lease_that_lapses_while_its_holder_sleeps_cannot_commit_in_real_time()
    {
        await using var schema = new TempSchema();
        var sleeper = await schema.OpenStoreAsync();
        var other = await schema.OpenStoreAsync();
        var (snapshot, ids) = await Work.EnqueueAsync(sleeper, 1, TimeProvider.System.GetUtcNow());
        var lease = await sleeper.TryLeaseAsync(new LeaseRequest("sleeper", TimeSpan.FromMilliseconds(300), new HashSet<AgentRole>()), Work.Ct);
        Assert.NotNull(lease);

        await Task.Delay(TimeSpan.FromMilliseconds(600), Work.Ct);
        var taken = await other.TryLeaseAsync(new LeaseRequest("other", TimeSpan.FromMinutes(1), new HashSet<AgentRole>()), Work.Ct);

        Assert.NotNull(taken);
        Assert.Equal(ids[0], taken.Item.Id);
        Assert.True(taken.Token > lease.Token);
        Assert.Equal(2, taken.Attempt);
        await Assert.ThrowsAsync<LeaseLostException>(() => sleeper.CommitAsync(Work.Settle(snapshot, lease, "sleeper"), Work.Ct));
        await Assert.ThrowsAsync<LeaseLostException>(() => sleeper.RenewAsync(lease, TimeSpan.FromMinutes(1), Work.Ct).AsTask());
        await other.CommitAsync(Work.Settle(snapshot, taken, "other"), Work.Ct);
        Assert.Equal(["other"], (await Work.DoneAsync(other)).Select(d => d.Message.Payload));
    }
}
