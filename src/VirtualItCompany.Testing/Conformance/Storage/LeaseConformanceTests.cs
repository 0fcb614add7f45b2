using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>Leases: oldest first, role exclusion, expiry and fencing, renewal, release and settlement by commit.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class LeaseConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    /// <summary>Items are leased oldest first, across commits and roles.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Items_are_leased_oldest_first()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.ProjectManager, AgentRole.Developer, AgentRole.ProjectManager);
        Time.Advance(TimeSpan.FromSeconds(1));
        var later = ProjectCommits.Item(created.ProjectId, AgentRole.Designer, Now);
        await storage.Store.CommitAsync(ProjectCommits.Schedule(created.Snapshot, Now, later), Ct);

        var leased = new List<string>();
        while (await TryLeaseAsync(storage) is { } lease)
        {
            leased.Add(lease.Item.Id);
        }

        Assert.Equal([.. items.Select(i => i.Id), later.Id], leased);
    }

    /// <summary>A worker is not given items of the roles it excludes; another worker gets them.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Excluded_roles_are_not_leased()
    {
        var (storage, _, items) = await CreateProjectAsync(AgentRole.ProjectManager, AgentRole.Developer);

        Assert.Null(await TryLeaseAsync(storage, "busy", AgentRole.ProjectManager, AgentRole.Developer));
        var developer = await TryLeaseAsync(storage, "no-pm", AgentRole.ProjectManager);
        var manager = await TryLeaseAsync(storage, "any");

        Assert.Equal(items[1].Id, developer?.Item.Id);
        Assert.Equal(items[0].Id, manager?.Item.Id);
    }

    /// <summary>A leased item is not leased again while the lease holds.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_leased_item_is_not_leased_again_while_the_lease_holds()
    {
        var (storage, _, items) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage, "w1");
        Time.Advance(LeaseDuration - TimeSpan.FromSeconds(1));

        Assert.Null(await TryLeaseAsync(storage, "w2"));
        Assert.Equal(items[0], lease.Item);
        Assert.Equal("w1", lease.WorkerId);
        Assert.Equal(1, lease.Attempt);
        Assert.Equal(Now + TimeSpan.FromSeconds(1), lease.ExpiresAt);
        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>Every lease the queue hands out has a larger token than the ones before it.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Every_lease_gets_a_larger_token()
    {
        var (storage, _, _) = await CreateProjectAsync(AgentRole.Developer, AgentRole.Tester);
        var first = await LeaseAsync(storage);
        var second = await LeaseAsync(storage);
        await storage.Queue.ReleaseAsync(first, Ct);
        var third = await LeaseAsync(storage);

        Assert.True(second.Token > first.Token, $"Token {second.Token} follows {first.Token}.");
        Assert.True(third.Token > second.Token, $"Token {third.Token} follows {second.Token}.");
    }

    /// <summary>A lease that lapses makes its item available again, with a larger token and the next attempt.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_lapsed_lease_makes_the_item_available_again_with_a_larger_token_and_the_next_attempt()
    {
        var (storage, _, items) = await CreateProjectAsync(AgentRole.Developer);
        var first = await LeaseAsync(storage, "w1");

        Time.Advance(LeaseDuration);
        var second = await LeaseAsync(storage, "w2");
        Time.Advance(LeaseDuration);
        var third = await LeaseAsync(storage, "w3");

        Assert.All([second, third], l => Assert.Equal(items[0].Id, l.Item.Id));
        Assert.True(second.Token > first.Token && third.Token > second.Token, "The tokens increase with every lease.");
        Assert.Equal([1, 2, 3], [first.Attempt, second.Attempt, third.Attempt]);
        Assert.Equal("w3", third.WorkerId);
        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>Once another worker holds the item, the old lease can neither renew nor commit, and its refused commit changes nothing.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_superseded_lease_can_neither_renew_nor_commit_and_its_refused_commit_changes_nothing()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.Developer);
        var first = await LeaseAsync(storage, "w1");
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var second = await LeaseAsync(storage, "w2");
        var late = ProjectCommits.Complete(created.Snapshot, first, Now) with
        {
            Enqueue = [ProjectCommits.Item(created.ProjectId, AgentRole.Tester, Now)],
        };

        var lost = await Assert.ThrowsAsync<LeaseLostException>(() => storage.Store.CommitAsync(late, Ct));
        await Assert.ThrowsAsync<LeaseLostException>(() => storage.Queue.RenewAsync(first, LeaseDuration, Ct).AsTask());

        Assert.Equal(first.Token, lost.Lease.Token);
        await AssertStoredAsync(storage, created);
        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        await storage.Store.CommitAsync(late with { CompletesLease = second, Enqueue = [] }, Ct);
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>A lapsed lease may no longer commit or renew even when no other worker has taken the item yet (<see cref="LeaseLostException"/>: "expired or superseded").</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_lapsed_lease_can_neither_renew_nor_commit_even_before_another_worker_takes_the_item()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage, "w1");
        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<LeaseLostException>(() => storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, lease, Now), Ct));
        await Assert.ThrowsAsync<LeaseLostException>(() => storage.Queue.RenewAsync(lease, LeaseDuration, Ct).AsTask());

        await AssertStoredAsync(storage, created);
        var next = await LeaseAsync(storage, "w2");
        Assert.Equal(items[0].Id, next.Item.Id);
        Assert.Equal(2, next.Attempt);
    }

    /// <summary>Renewing extends a lease from now, so it outlives its first deadline; the renewed lease keeps its token.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Renewal_extends_the_lease_from_now()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage, "w1");

        Time.Advance(LeaseDuration / 2);
        var renewed = await storage.Queue.RenewAsync(lease, LeaseDuration, Ct);
        Time.Advance(LeaseDuration * 0.75);

        Assert.Equal(lease.Token, renewed.Token);
        Assert.Equal(lease.Attempt, renewed.Attempt);
        Assert.Equal(Now + (LeaseDuration / 4), renewed.ExpiresAt);
        Assert.Null(await TryLeaseAsync(storage, "w2"));
        await storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, renewed, Now), Ct);
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>A renewed lease lapses at its new deadline, also when the renewal was shorter than what was left: the duration counts from now.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_renewed_lease_lapses_at_its_new_deadline_even_when_that_is_sooner()
    {
        var (storage, _, items) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await storage.Queue.TryLeaseAsync(new LeaseRequest("w1", TimeSpan.FromMinutes(30)), Ct);

        var renewed = await storage.Queue.RenewAsync(lease!, TimeSpan.FromMinutes(1), Ct);
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(Now, renewed.ExpiresAt);
        var next = await LeaseAsync(storage, "w2");
        Assert.Equal(items[0].Id, next.Item.Id);
        Assert.Equal(2, next.Attempt);
    }

    /// <summary>A released item can be leased again at once, and the released lease does not count as an attempt.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Release_makes_the_item_available_at_once_and_the_attempt_does_not_count()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer);
        var first = await LeaseAsync(storage, "w1");

        await storage.Queue.ReleaseAsync(first, Ct);
        var again = await LeaseAsync(storage, "w2");

        Assert.Equal(items[0].Id, again.Item.Id);
        Assert.True(again.Token > first.Token, "The new lease has a larger token.");
        Assert.Equal(1, again.Attempt);
        await Assert.ThrowsAsync<LeaseLostException>(() => storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, first, Now), Ct));
        await AssertStoredAsync(storage, created);
    }

    /// <summary>Releasing a lease that was lost is ignored: the current holder keeps the item.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Release_of_a_lost_lease_is_ignored()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.Developer);
        var first = await LeaseAsync(storage, "w1");
        Time.Advance(LeaseDuration);
        var second = await LeaseAsync(storage, "w2");

        await storage.Queue.ReleaseAsync(first, Ct);

        Assert.Null(await TryLeaseAsync(storage, "w3"));
        var renewed = await storage.Queue.RenewAsync(second, LeaseDuration, Ct);
        await storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, renewed, Now), Ct);
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>A commit with <see cref="ProjectCommit.RetryAt"/> puts the item back, available only from that time, with its attempts kept.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Commit_with_RetryAt_puts_the_item_back_from_that_time_keeping_its_attempts()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer);
        var first = await LeaseAsync(storage, "w1");
        var retryAt = Now + TimeSpan.FromMinutes(10);
        var failed = ProjectCommits.Retry(created.Snapshot, first, Now, retryAt);

        await storage.Store.CommitAsync(failed, Ct);

        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        await AssertStoredAsync(storage, created, failed);
        Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Null(await TryLeaseAsync(storage, "w2"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await LeaseAsync(storage, "w2");
        Assert.Equal(items[0], second.Item);
        Assert.Equal(2, second.Attempt);
        Assert.True(second.Token > first.Token, "The retry's lease has a larger token.");
    }

    /// <summary>A commit that settles a lease without <see cref="ProjectCommit.RetryAt"/> takes the item off the queue.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Commit_without_RetryAt_removes_the_item_from_the_queue()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer, AgentRole.Tester);
        var lease = await LeaseAsync(storage);
        var completed = ProjectCommits.Complete(created.Snapshot, lease, Now);

        await storage.Store.CommitAsync(completed, Ct);

        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
        await AssertStoredAsync(storage, created, completed);
        Assert.Equal(items[1].Id, (await LeaseAsync(storage)).Item.Id);
        Time.Advance(LeaseDuration * 10);
        Assert.Equal(items[1].Id, (await LeaseAsync(storage)).Item.Id);
        Assert.Null(await TryLeaseAsync(storage));
    }

    /// <summary>
    /// A lease that carries its project (<see cref="WorkLease.Project"/>; a queue need not) carries the project as it was
    /// committed when the lease was taken: the runtime then runs the item on it without reading the store.
    /// </summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_lease_that_carries_its_project_carries_the_project_as_committed()
    {
        var (storage, created, items) = await CreateProjectAsync(AgentRole.Developer, AgentRole.Tester);
        var first = await LeaseAsync(storage);
        await AssertCarriesStoredAsync(first);
        var completed = ProjectCommits.Complete(created.Snapshot, first, Now);
        await storage.Store.CommitAsync(completed, Ct);

        var second = await LeaseAsync(storage);

        Assert.Equal(items[1].Id, second.Item.Id);
        await AssertCarriesStoredAsync(second);
        if (second.Project is { } carried)
        {
            Assert.Equal(completed.Snapshot.Version, carried.Version);
        }

        async Task AssertCarriesStoredAsync(WorkLease lease)
        {
            if (lease.Project is not { } project)
            {
                return;
            }

            var stored = await storage.Store.GetAsync(created.ProjectId, Ct);
            Assert.NotNull(stored);
            Assert.Equal(created.ProjectId, project.Id);
            Assert.Equal(stored.Version, project.Version);
            Assert.Equal(stored.Status, project.Status);
            Assert.Equal(stored.Stage, project.Stage);
            Assert.Equal(stored.OutstandingWork.Keys.Order(StringComparer.Ordinal), project.OutstandingWork.Keys.Order(StringComparer.Ordinal));
        }
    }

    /// <summary>The queue counts every item on it: waiting, waiting for its retry time, and leased.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Count_includes_waiting_retrying_and_leased_items()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.Developer, AgentRole.Tester, AgentRole.Designer);
        Assert.Equal(3, await storage.Queue.CountAsync(Ct));
        var retried = await LeaseAsync(storage);
        await LeaseAsync(storage);

        await storage.Store.CommitAsync(ProjectCommits.Retry(created.Snapshot, retried, Now, Now + TimeSpan.FromHours(1)), Ct);

        Assert.Equal(3, await storage.Queue.CountAsync(Ct));
    }
}
