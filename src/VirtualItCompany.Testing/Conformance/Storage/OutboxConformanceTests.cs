using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>The outbox: messages are written with their commit, read in sequence order per topic until acknowledged, and never written by a refused commit.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class OutboxConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    /// <summary>Messages committed across commits and projects are read per topic, in sequence order, with the project that wrote them.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Committed_messages_are_read_per_topic_in_sequence_order()
    {
        var (storage, outbox) = await CreateOutboxStorageAsync();
        var a = ProjectCommits.Create(ProjectId.New(), Now) with { Outbox = [new("work", "a1", "1"), new("hooks", "a2", "2"), new("work", "a3", "3")] };
        var b = ProjectCommits.Create(ProjectId.New(), Now) with { Outbox = [new("work", "b1", "4")] };
        var a2 = ProjectCommits.Next(a.Snapshot, Now, new ClientAnswered("yes")) with { Outbox = [new("work", "a4", "5")] };

        await storage.Store.CommitAsync(a, Ct);
        await storage.Store.CommitAsync(b, Ct);
        await storage.Store.CommitAsync(a2, Ct);

        var work = await outbox.ReadAsync("work", 10, Ct);
        Assert.Equal(["a1", "a3", "b1", "a4"], work.Select(e => e.Message.Key));
        Assert.Equal(["1", "3", "4", "5"], work.Select(e => e.Message.Payload));
        Assert.Equal([a.ProjectId, a.ProjectId, b.ProjectId, a.ProjectId], work.Select(e => e.ProjectId));
        Assert.True(work.Zip(work.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "Sequences increase in commit order.");
        var hooks = Assert.Single(await outbox.ReadAsync("hooks", 10, Ct));
        Assert.Equal(new OutboxMessage("hooks", "a2", "2"), hooks.Message);
        Assert.True(hooks.Sequence > work[0].Sequence && hooks.Sequence < work[1].Sequence, "Sequences are shared across topics, in commit order.");
        Assert.Empty(await outbox.ReadAsync("other", 10, Ct));
    }

    /// <summary>A read returns at most the number asked for, oldest first.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_read_returns_at_most_the_count_asked_for_oldest_first()
    {
        var (storage, outbox) = await CreateOutboxStorageAsync();
        await storage.Store.CommitAsync(ProjectCommits.Create(ProjectId.New(), Now) with { Outbox = [.. Enumerable.Range(0, 5).Select(i => new OutboxMessage("work", $"k{i}", "{}"))] }, Ct);

        Assert.Equal(["k0", "k1"], (await outbox.ReadAsync("work", 2, Ct)).Select(e => e.Message.Key));
        Assert.Equal(["k0"], (await outbox.ReadAsync("work", 1, Ct)).Select(e => e.Message.Key));
    }

    /// <summary>Acknowledged messages are not read again; the others still are; unknown sequences and other topics' acknowledgements are ignored.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Acknowledged_messages_are_not_read_again()
    {
        var (storage, outbox) = await CreateOutboxStorageAsync();
        await storage.Store.CommitAsync(ProjectCommits.Create(ProjectId.New(), Now) with { Outbox = [new("work", "k0", "{}"), new("work", "k1", "{}"), new("work", "k2", "{}"), new("hooks", "h0", "{}")] }, Ct);
        var work = await outbox.ReadAsync("work", 10, Ct);
        var hook = Assert.Single(await outbox.ReadAsync("hooks", 10, Ct));

        await outbox.AcknowledgeAsync("work", [work[0].Sequence, work[2].Sequence, 999_999], Ct);
        await outbox.AcknowledgeAsync("hooks", [work[1].Sequence], Ct);
        await outbox.AcknowledgeAsync("work", [work[0].Sequence], Ct);

        Assert.Equal(["k1"], (await outbox.ReadAsync("work", 10, Ct)).Select(e => e.Message.Key));
        Assert.Equal(hook, Assert.Single(await outbox.ReadAsync("hooks", 10, Ct)));
        await outbox.AcknowledgeAsync("hooks", [hook.Sequence], Ct);
        Assert.Empty(await outbox.ReadAsync("hooks", 10, Ct));
    }

    /// <summary>A commit refused for its version or its lease writes no message.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_refused_commit_writes_no_message()
    {
        var (storage, outbox) = await CreateOutboxStorageAsync();
        var (created, _) = await AddProjectAsync(storage, AgentRole.Developer);
        var lost = await LeaseAsync(storage, "w1");
        Time.Advance(LeaseDuration);
        await LeaseAsync(storage, "w2");
        OutboxMessage[] messages = [new("work", "refused", "{}")];

        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Store.CommitAsync(ProjectCommits.Create(created.ProjectId, Now) with { Outbox = messages }, Ct));
        await Assert.ThrowsAsync<LeaseLostException>(() => storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, lost, Now) with { Outbox = messages }, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => storage.Store.CommitAsync(ProjectCommits.Next(created.Snapshot with { Version = 9 }, Now, new ClientAnswered("x")) with { ExpectedVersion = 2, Outbox = messages }, Ct));

        Assert.Empty(await outbox.ReadAsync("work", 10, Ct));
    }

    private async Task<(StorageUnderTest Storage, IOutbox Outbox)> CreateOutboxStorageAsync()
    {
        Assert.SkipUnless(Fixture.SupportsOutbox, "The adapter has no outbox.");
        var storage = await CreateStorageAsync();
        Assert.True(storage.Outbox is not null, "The fixture says it supports the outbox but gave none.");
        return (storage, storage.Outbox);
    }
}
