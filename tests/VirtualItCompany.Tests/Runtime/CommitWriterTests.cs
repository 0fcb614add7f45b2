using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Runtime;
using VirtualItCompany.Storage;
using VirtualItCompany.Tests.Storage;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>The commit writer decides on a snapshot its caller already holds only while nothing newer was committed.</summary>
public sealed class CommitWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_known_snapshot_is_decided_on_without_a_read_and_a_stale_one_is_refused_by_the_store_and_read_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var store = new CountingProjectStore(new InMemoryCompanyStore(time));
        using var feed = new ProjectEventFeed();
        var writer = new CommitWriter(store, feed, time, new RunningWork());
        var id = new ProjectId("p-1");
        var created = await writer.CommitAsync(id, null, new WorkPlan([new ProjectCreated(new ProjectBrief { Title = "t", Description = "d", AcceptanceCriteria = ["a"] }, LifecycleStage.RequirementsAnalysis)], []), null, Ct);

        // Nothing committed since: decided on the known snapshot, no read.
        var seen = new List<long>();
        var v2 = await writer.DecideAndCommitAsync(id, p => Plan(p, seen), null, Ct, known: created);
        Assert.Equal([1L], seen);
        Assert.Equal(0, store.SnapshotReads);
        Assert.Equal(2, v2!.Version);

        // This process committed v2 since the caller read v1: the writer reads instead of trying a commit it knows is stale.
        seen.Clear();
        var v3 = await writer.DecideAndCommitAsync(id, p => Plan(p, seen), null, Ct, known: created);
        Assert.Equal([2L], seen);
        Assert.Equal(1, store.SnapshotReads);

        // Another process committed v4 (straight to the store): the first decision, on v3, is refused and made again on v4.
        var elsewhere = new ClientRequestedChanges("from elsewhere") { ProjectId = id, Version = 4, Timestamp = time.GetUtcNow() };
        await store.CommitAsync(new ProjectCommit(id, 3, [elsewhere], v3!.Apply(elsewhere)), Ct);
        seen.Clear();
        var v5 = await writer.DecideAndCommitAsync(id, p => Plan(p, seen), null, Ct, known: v3);
        Assert.Equal([3L, 4L], seen);
        Assert.Equal(5, v5!.Version);
        Assert.Equal(2, store.SnapshotReads);
    }

    private static WorkPlan Plan(ProjectSnapshot project, List<long> seen)
    {
        seen.Add(project.Version);
        return new WorkPlan([new ClientRequestedChanges($"note on v{project.Version}")], []);
    }
}
