using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.PostgreSql.Tests;

/// <summary>Commits for the multi-worker tests: a small project whose items are enqueued and settled without events (so the snapshot stays small and workers of one project never conflict on its version).</summary>
internal static class Work
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a project and enqueues <paramref name="count"/> developer items in batches; returns the snapshot to settle against.</summary>
    public static async Task<(ProjectSnapshot Snapshot, string[] ItemIds)> EnqueueAsync(IProjectStore store, int count, DateTimeOffset now)
    {
        var id = ProjectId.New();
        var created = ProjectCommits.Create(id, now);
        await store.CommitAsync(created, Ct);
        var snapshot = created.Snapshot;
        var ids = new List<string>(count);
        for (int start = 0; start < count; start += 1000)
        {
            var items = Enumerable.Range(start, Math.Min(1000, count - start)).Select(n => ProjectCommits.Item(id, AgentRole.Developer, now, $"item {n}")).ToArray();
            await store.CommitAsync(new ProjectCommit(id, snapshot.Version, [], snapshot) { Enqueue = items }, Ct);
            ids.AddRange(items.Select(i => i.Id));
        }

        return (snapshot, [.. ids]);
    }

    /// <summary>Settles a lease with an outbox message keyed by the item: the outbox then holds one message per committed settlement.</summary>
    public static ProjectCommit Settle(ProjectSnapshot snapshot, WorkLease lease, string worker) =>
        new(snapshot.Id, snapshot.Version, [], snapshot)
        {
            CompletesLease = lease,
            Outbox = [new OutboxMessage("done", lease.Item.Id, worker)],
        };

    /// <summary>Reads every message of the "done" topic.</summary>
    public static async Task<List<OutboxEntry>> DoneAsync(IOutbox outbox)
    {
        var all = new List<OutboxEntry>();
        while (true)
        {
            var batch = await outbox.ReadAsync("done", 5000, Ct);
            if (batch.Count == 0)
            {
                return all;
            }

            all.AddRange(batch);
            await outbox.AcknowledgeAsync("done", [.. batch.Select(e => e.Sequence)], Ct);
        }
    }
}
