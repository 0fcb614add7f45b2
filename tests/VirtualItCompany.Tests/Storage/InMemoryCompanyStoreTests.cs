using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Storage;

namespace VirtualItCompany.Tests.Storage;

public sealed class InMemoryCompanyStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCompanyStore _store;
    private readonly ProjectId _id = ProjectId.New();

    public InMemoryCompanyStoreTests() => _store = new InMemoryCompanyStore(_time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProjectCreated Created() => new(new ProjectBrief { Title = "T", Description = "D", Budget = 1m });

    private WorkItem Item(AgentRole role, DateTimeOffset? notBefore = null) =>
        WorkItem.Create(_id, role, LifecycleStage.RequirementsAnalysis, 1, _time.GetUtcNow()) with { NotBefore = notBefore };

    private async Task<ProjectSnapshot> CreateAsync(params WorkItem[] items) =>
        await _store.CommitAsync(new ProjectCommit(_id, 0, [Created(), .. items.Select(i => new WorkItemScheduled(i))]) { Enqueue = items }, Ct);

    [Fact]
    public async Task Commit_stamps_versions_and_folds_the_snapshot()
    {
        var item = Item(AgentRole.ProjectManager);

        var snapshot = await CreateAsync(item);

        Assert.Equal(2, snapshot.Version);
        Assert.True(snapshot.OutstandingWork.ContainsKey(item.Id));
        var events = await _store.ReadEventsAsync(_id, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal([1L, 2L], events.Select(e => e.Version));
        Assert.All(events, e => Assert.Equal(_id, e.ProjectId));
        Assert.All(events, e => Assert.Equal(_time.GetUtcNow(), e.Timestamp));
    }

    [Fact]
    public async Task Commit_at_a_stale_version_is_refused_and_changes_nothing()
    {
        await CreateAsync();

        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => _store.CommitAsync(new ProjectCommit(_id, 0, [Created()]), Ct));
        Assert.Equal(1, ex.ActualVersion);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _store.CommitAsync(new ProjectCommit(_id, 5, [new ProjectPaused("x")]), Ct));

        Assert.Equal(1, (await _store.GetAsync(_id, Ct))!.Version);
    }

    [Fact]
    public async Task Commit_to_an_unknown_project_is_refused()
    {
        await Assert.ThrowsAsync<ProjectNotFoundException>(() => _store.CommitAsync(new ProjectCommit(_id, 3, [new ProjectPaused("x")]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.CommitAsync(new ProjectCommit(_id, 0, [new ProjectPaused("x")]), Ct));
    }

    [Fact]
    public async Task Lease_gives_the_oldest_item_and_a_commit_completes_it()
    {
        var first = Item(AgentRole.ProjectManager);
        var second = Item(AgentRole.Developer);
        await CreateAsync(first, second);

        var lease = await _store.TryLeaseAsync(new LeaseRequest("w1", Lease), Ct);

        Assert.Equal(first.Id, lease!.Item.Id);
        await _store.CommitAsync(new ProjectCommit(_id, 3, [new WorkItemCompleted(first.Id, first.Role, first.Stage, "ok", TimeSpan.Zero)]) { CompletesLease = lease }, Ct);
        Assert.Equal(1, await _store.CountAsync(Ct));
        Assert.Equal(second.Id, (await _store.TryLeaseAsync(new LeaseRequest("w1", Lease), Ct))!.Item.Id);
        Assert.Null(await _store.TryLeaseAsync(new LeaseRequest("w1", Lease), Ct));
    }

    [Fact]
    public async Task Excluded_roles_are_skipped()
    {
        var pm = Item(AgentRole.ProjectManager);
        var dev = Item(AgentRole.Developer);
        await CreateAsync(pm, dev);

        var lease = await _store.TryLeaseAsync(new LeaseRequest("w1", Lease, new HashSet<AgentRole> { AgentRole.ProjectManager }), Ct);

        Assert.Equal(dev.Id, lease!.Item.Id);
    }

    [Fact]
    public async Task Expired_lease_is_redelivered_with_a_new_token_and_the_old_holder_cannot_commit()
    {
        var item = Item(AgentRole.ProjectManager);
        await CreateAsync(item);
        var first = (await _store.TryLeaseAsync(new LeaseRequest("w1", Lease), Ct))!;

        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = (await _store.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct))!;

        Assert.Equal(item.Id, second.Item.Id);
        Assert.NotEqual(first.Token, second.Token);
        await Assert.ThrowsAsync<LeaseLostException>(() => _store.RenewAsync(first, Lease, Ct).AsTask());
        var stale = new ProjectCommit(_id, 2, [new WorkItemCompleted(item.Id, item.Role, item.Stage, "late", TimeSpan.Zero)]) { CompletesLease = first };
        await Assert.ThrowsAsync<LeaseLostException>(() => _store.CommitAsync(stale, Ct));
        Assert.Equal(2, (await _store.GetAsync(_id, Ct))!.Version);

        await _store.CommitAsync(stale with { CompletesLease = second }, Ct);
        Assert.Equal(0, await _store.CountAsync(Ct));
    }

    [Fact]
    public async Task Renewed_lease_does_not_expire_at_its_first_deadline()
    {
        await CreateAsync(Item(AgentRole.ProjectManager));
        var lease = (await _store.TryLeaseAsync(new LeaseRequest("w1", Lease), Ct))!;

        _time.Advance(Lease / 2);
        lease = await _store.RenewAsync(lease, Lease, Ct);
        _time.Advance(Lease * 0.75);

        Assert.Null(await _store.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct));
        _time.Advance(Lease);
        Assert.NotNull(await _store.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct));
    }

    [Fact]
    public async Task Delayed_item_waits_for_its_backoff()
    {
        await CreateAsync(Item(AgentRole.ProjectManager, _time.GetUtcNow().AddSeconds(10)));

        Assert.Null(await _store.TryLeaseAsync(new LeaseRequest("w1", Lease), Ct));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.NotNull(await _store.TryLeaseAsync(new LeaseRequest("w1", Lease), Ct));
    }

    [Fact]
    public async Task Released_item_can_be_leased_again_at_once()
    {
        await CreateAsync(Item(AgentRole.ProjectManager));
        var lease = (await _store.TryLeaseAsync(new LeaseRequest("w1", Lease), Ct))!;

        await _store.ReleaseAsync(lease, Ct);

        var again = await _store.TryLeaseAsync(new LeaseRequest("w2", Lease), Ct);
        Assert.Equal(lease.Item.Id, again!.Item.Id);
        Assert.NotEqual(lease.Token, again.Token);
    }

    [Fact]
    public async Task Waiting_for_work_returns_when_work_is_committed()
    {
        await CreateAsync();
        var wait = _store.WaitForWorkAsync(TimeSpan.FromMinutes(5), Ct).AsTask();

        var item = Item(AgentRole.Tester);
        await _store.CommitAsync(new ProjectCommit(_id, 1, [new WorkItemScheduled(item)]) { Enqueue = [item] }, Ct);

        await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.NotNull(await _store.TryLeaseAsync(new LeaseRequest("w1", Lease), Ct));
    }

    [Fact]
    public async Task Concurrent_commits_at_the_same_version_let_exactly_one_win()
    {
        await CreateAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            try
            {
                await _store.CommitAsync(new ProjectCommit(_id, 1, [new ClientAnswered($"answer {i}")]), Ct);
                return true;
            }
            catch (ConcurrencyException)
            {
                return false;
            }
        }, Ct)));

        Assert.Single(results, r => r);
        Assert.Equal(2, (await _store.GetAsync(_id, Ct))!.Version);
    }
}
