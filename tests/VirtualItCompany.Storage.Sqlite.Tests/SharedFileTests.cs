using System.Collections.Concurrent;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>Two store instances on one file (as two processes would open it) share its work and budgets: no item is leased twice, no budget is overspent.</summary>
public sealed class SharedFileTests : IAsyncDisposable
{
    private const int Workers = 8;
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);
    private static readonly AgentRole[] Roles = [AgentRole.ProjectManager, AgentRole.Developer, AgentRole.Tester];
    private readonly TempDatabase _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task Two_instances_leasing_concurrently_never_lease_an_item_twice()
    {
        const int items = 300;
        var stores = OpenStores();
        var id = ProjectId.New();
        var scheduled = Enumerable.Range(0, items).Select(i => ProjectCommits.Item(id, Roles[i % Roles.Length], TimeProvider.System.GetUtcNow())).ToArray();
        await stores[0].CommitAsync(ProjectCommits.Create(id, TimeProvider.System.GetUtcNow(), scheduled), Ct);
        var leases = new ConcurrentBag<WorkLease>();

        await RunWorkersAsync(async worker =>
        {
            var store = stores[worker % stores.Length];
            while (await store.TryLeaseAsync(new LeaseRequest($"worker-{worker}", LeaseDuration), Ct) is { } lease)
            {
                leases.Add(lease);
            }
        });

        Assert.Equal(items, leases.Count);
        Assert.Equal(scheduled.Select(i => i.Id).Order(StringComparer.Ordinal), leases.Select(l => l.Item.Id).Order(StringComparer.Ordinal));
        Assert.Equal(items, leases.Select(l => l.Token).Distinct().Count());
        Assert.All(leases, l => Assert.Equal(1, l.Attempt));
    }

    [Fact]
    public async Task Two_instances_leasing_and_committing_complete_every_item_once()
    {
        const int projects = 40;
        var stores = OpenStores();
        var created = new ConcurrentDictionary<ProjectId, ProjectCommit>();
        for (int i = 0; i < projects; i++)
        {
            var id = ProjectId.New();
            var commit = ProjectCommits.Create(id, TimeProvider.System.GetUtcNow(), ProjectCommits.Item(id, Roles[i % Roles.Length], TimeProvider.System.GetUtcNow()));
            await stores[i % stores.Length].CommitAsync(commit, Ct);
            created[id] = commit;
        }

        var done = new ConcurrentBag<string>();
        await RunWorkersAsync(async worker =>
        {
            var store = stores[worker % stores.Length];
            while (await store.TryLeaseAsync(new LeaseRequest($"worker-{worker}", LeaseDuration), Ct) is { } lease)
            {
                await store.CommitAsync(ProjectCommits.Complete(created[lease.Item.ProjectId].Snapshot, lease, TimeProvider.System.GetUtcNow()), Ct);
                done.Add(lease.Item.Id);
            }
        });

        Assert.Equal(projects, done.Distinct().Count());
        Assert.Equal(projects, done.Count);
        Assert.Equal(0, await stores[1].CountAsync(Ct));
        foreach (var commit in created.Values)
        {
            Assert.Empty((await stores[1].GetAsync(commit.ProjectId, Ct))!.OutstandingWork);
        }
    }

    [Fact]
    public async Task A_worker_waiting_on_one_instance_sees_work_committed_by_another_within_its_longest_wait()
    {
        var stores = OpenStores();
        var id = ProjectId.New();
        var created = ProjectCommits.Create(id, TimeProvider.System.GetUtcNow());
        await stores[0].CommitAsync(created, Ct);
        await stores[1].WaitForWorkAsync(TimeSpan.Zero, Ct);
        var waiting = stores[1].WaitForWorkAsync(TimeSpan.FromMilliseconds(300), Ct).AsTask();

        var item = ProjectCommits.Item(id, AgentRole.Developer, TimeProvider.System.GetUtcNow());
        await stores[0].CommitAsync(ProjectCommits.Schedule(created.Snapshot, TimeProvider.System.GetUtcNow(), item), Ct);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(item.Id, (await stores[1].TryLeaseAsync(new LeaseRequest("other-process", LeaseDuration), Ct))?.Item.Id);
    }

    [Fact]
    public async Task Two_accounts_on_one_file_never_take_a_budget_past_its_limit()
    {
        var accounts = new[] { new SqliteBudgetAccount(_temp.Open(TimeProvider.System)), new SqliteBudgetAccount(_temp.Open(TimeProvider.System)) };
        var project = ProjectId.New();
        await accounts[0].SetLimitAsync(BudgetScope.Company, 10m, Ct);
        await accounts[1].SetLimitAsync(BudgetScope.ForProject(project), 6m, Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(
            async () => await accounts[i % 2].TryReserveAsync(new(i % 4 < 2 ? project : null, 0.5m, $"owner-{i}"), Ct),
            Ct)));

        var granted = results.Where(r => r.IsGranted).Select(r => r.Reservation!).ToList();
        Assert.Equal(20, granted.Count);
        Assert.True(granted.Where(r => r.ProjectId is not null).Sum(r => r.Amount) <= 6m);
        Assert.Equal(10m, (await accounts[0].GetBalanceAsync(BudgetScope.Company, Ct)).Reserved);
        Assert.Equal(10m, (await accounts[1].GetBalanceAsync(BudgetScope.Company, Ct)).Reserved);
    }

    [Fact]
    public async Task A_reservation_waiting_in_one_process_is_granted_when_another_process_settles()
    {
        var accounts = new[] { new SqliteBudgetAccount(_temp.Open(TimeProvider.System)), new SqliteBudgetAccount(_temp.Open(TimeProvider.System)) };
        await accounts[0].SetLimitAsync(BudgetScope.Company, 1m, Ct);
        var first = (await accounts[0].TryReserveAsync(new(null, 0.8m, "a"), Ct)).Reservation!;

        var waiting = accounts[1].TryReserveAsync(new(null, 0.5m, "b") { MaxWait = TimeSpan.FromSeconds(30) }, Ct).AsTask();
        await Task.Delay(100, Ct);
        Assert.False(waiting.IsCompleted);
        Assert.True(await accounts[0].SettleAsync(first, 0.1m, Ct));

        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(result.IsGranted);
        Assert.Equal(new BudgetBalance(BudgetScope.Company, 1m, 0.1m, 0.5m), await accounts[0].GetBalanceAsync(BudgetScope.Company, Ct));
    }

    private SqliteCompanyStore[] OpenStores() => [new(_temp.Open(TimeProvider.System)), new(_temp.Open(TimeProvider.System))];

    private static async Task RunWorkersAsync(Func<int, Task> work)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(
            async () =>
            {
                await start.Task;
                await work(w);
            },
            Ct)).ToArray();
        start.SetResult();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(1), Ct);
    }
}
