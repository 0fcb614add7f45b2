using System.Collections.Concurrent;
using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>Concurrent workers: many workers leasing at once never get the same item twice, and between them get every item.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class ConcurrentWorkerConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    private const int Items = 200;
    private const int Workers = 8;
    private static readonly AgentRole[] Roles = [AgentRole.ProjectManager, AgentRole.Developer, AgentRole.Tester];

    /// <summary>Workers leasing concurrently from a queue of N items get each item exactly once, all N in total.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Concurrent_workers_get_every_item_exactly_once()
    {
        var (storage, _, items) = await CreateProjectAsync([.. Enumerable.Range(0, Items).Select(i => Roles[i % Roles.Length])]);
        var leases = new ConcurrentBag<WorkLease>();

        await RunWorkersAsync(async worker =>
        {
            while (await TryLeaseAsync(storage, worker).ConfigureAwait(false) is { } lease)
            {
                leases.Add(lease);
            }
        });

        Assert.Equal(Items, leases.Count);
        Assert.Equal(items.Select(i => i.Id).Order(StringComparer.Ordinal), leases.Select(l => l.Item.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Items, leases.Select(l => l.Token).Distinct().Count());
        Assert.Equal(Items, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>Workers that lease and complete items of many projects concurrently leave every item done once and the queue empty.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Concurrent_workers_leasing_and_committing_complete_every_item_once()
    {
        const int projects = 40;
        var storage = await CreateStorageAsync();
        var created = new Dictionary<ProjectId, ProjectCommit>();
        for (int i = 0; i < projects; i++)
        {
            var (commit, _) = await AddProjectAsync(storage, AgentRole.Developer);
            created.Add(commit.ProjectId, commit);
        }

        var done = new ConcurrentBag<string>();
        await RunWorkersAsync(async worker =>
        {
            while (await TryLeaseAsync(storage, worker).ConfigureAwait(false) is { } lease)
            {
                // One item per project, so each completion commits at the project's creating version.
                await storage.Store.CommitAsync(ProjectCommits.Complete(created[lease.Item.ProjectId].Snapshot, lease, Now), Ct).ConfigureAwait(false);
                done.Add(lease.Item.Id);
            }
        });

        Assert.Equal(projects, done.Distinct().Count());
        Assert.Equal(projects, done.Count);
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
        foreach (var commit in created.Values)
        {
            Assert.Empty((await storage.Store.GetAsync(commit.ProjectId, Ct))!.OutstandingWork);
        }
    }

    private static async Task RunWorkersAsync(Func<string, Task> work)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            await start.Task.ConfigureAwait(false);
            await work($"worker-{w}").ConfigureAwait(false);
        }, Ct)).ToArray();
        start.SetResult();
        await Task.WhenAll(workers).WaitAsync(Prompt * 3, Ct).ConfigureAwait(false);
    }
}
