using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>
/// Reading a project back costs a version check when this store instance committed or read that version: the snapshot it
/// holds is returned, the same as the stored row; a commit by another process (another instance over the file) is read
/// from the row. Only active projects are held, and never more than the bound. A commit's events are written several to
/// a statement and read back in order.
/// </summary>
public sealed class SnapshotReadTests : IAsyncDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task A_held_snapshot_equals_the_stored_row_and_another_process_commit_is_read_from_the_row()
    {
        var mine = new SqliteCompanyStore(_temp.Open(_time));
        var other = new SqliteCompanyStore(_temp.Open(_time)); // another process over the same file
        var id = ProjectId.New();
        var created = ProjectCommits.Create(id, _time.GetUtcNow(), ProjectCommits.Item(id, AgentRole.Developer, _time.GetUtcNow()));
        await mine.CommitAsync(created, Ct);

        var held = (await mine.GetAsync(id, Ct))!;
        Assert.Same(created.Snapshot, held);
        Assert.Equal(Json(held), Json((await other.GetAsync(id, Ct))!));

        // The other process moves the project on: this instance sees its version, read from the row.
        var answered = ProjectCommits.Next((await other.GetAsync(id, Ct))!, _time.GetUtcNow(), new ClientAnswered("from the other process"));
        await other.CommitAsync(answered, Ct);
        var read = (await mine.GetAsync(id, Ct))!;
        Assert.Equal(created.Snapshot.Version + 1, read.Version);
        Assert.Equal(Json(answered.Snapshot), Json(read));
        Assert.Equal(["from the other process"], read.ClientAnswers);

        // This instance's stale commit is still refused by the row's version, and its next commit follows the row.
        await Assert.ThrowsAsync<ConcurrencyException>(() => mine.CommitAsync(ProjectCommits.Next(held, _time.GetUtcNow(), new ClientAnswered("stale")), Ct));
        await mine.CommitAsync(ProjectCommits.Next(read, _time.GetUtcNow(), new ClientAnswered("mine")), Ct);
        Assert.Equal(Json((await mine.GetAsync(id, Ct))!), Json((await other.GetAsync(id, Ct))!));
    }

    [Fact]
    public async Task Only_active_projects_are_held_and_never_more_than_the_bound()
    {
        var store = new SqliteCompanyStore(_temp.Open(_time)) { MaxRememberedSnapshots = 3 };
        var created = new List<ProjectCommit>();
        for (int i = 0; i < 3; i++)
        {
            var id = ProjectId.New();
            created.Add(ProjectCommits.Create(id, _time.GetUtcNow()));
            await store.CommitAsync(created[^1], Ct);
        }

        Assert.Equal(3, store.RememberedSnapshots);

        // A project that waits for its client or has ended is not held.
        await store.CommitAsync(ProjectCommits.Next(created[0].Snapshot, _time.GetUtcNow(), new ClientInputRequested(ClientInputKind.Clarification, "Which colour?")), Ct);
        await store.CommitAsync(ProjectCommits.Next(created[1].Snapshot, _time.GetUtcNow(), new ProjectCompleted()), Ct);
        Assert.Equal(1, store.RememberedSnapshots);
        Assert.Equal(ProjectStatus.WaitingForClient, (await store.GetAsync(created[0].ProjectId, Ct))!.Status);
        Assert.Equal(ProjectStatus.Completed, (await store.GetAsync(created[1].ProjectId, Ct))!.Status);
        Assert.Equal(1, store.RememberedSnapshots);

        // Past the bound the held snapshots are let go, and every read is still right.
        for (int i = 0; i < 3; i++)
        {
            var id = ProjectId.New();
            created.Add(ProjectCommits.Create(id, _time.GetUtcNow()));
            await store.CommitAsync(created[^1], Ct);
        }

        Assert.InRange(store.RememberedSnapshots, 1, 3);
        foreach (var commit in created.Skip(2))
        {
            Assert.Equal(Json(commit.Snapshot), Json((await store.GetAsync(commit.ProjectId, Ct))!));
        }

        Assert.InRange(store.RememberedSnapshots, 1, 3);
    }

    [Fact]
    public async Task A_refused_commit_is_never_held()
    {
        var mine = new SqliteCompanyStore(_temp.Open(_time));
        var other = new SqliteCompanyStore(_temp.Open(_time));
        var id = ProjectId.New();
        var created = ProjectCommits.Create(id, _time.GetUtcNow(), ProjectCommits.Item(id, AgentRole.Developer, _time.GetUtcNow()));
        await mine.CommitAsync(created, Ct);

        // Another process moves the project on; this instance, still holding the version before, commits on it and is refused.
        var theirs = ProjectCommits.Next((await other.GetAsync(id, Ct))!, _time.GetUtcNow(), new ClientAnswered("theirs"));
        await other.CommitAsync(theirs, Ct);
        await Assert.ThrowsAsync<ConcurrencyException>(() => mine.CommitAsync(ProjectCommits.Next(created.Snapshot, _time.GetUtcNow(), new ClientAnswered("refused")), Ct));
        Assert.Equal(Json(theirs.Snapshot), Json((await mine.GetAsync(id, Ct))!));

        // A commit whose lease lapsed is refused too, and not held.
        var lease = (await mine.TryLeaseAsync(new LeaseRequest("w1", TimeSpan.FromMinutes(1)), Ct))!;
        _time.Advance(TimeSpan.FromMinutes(2));
        var current = (await mine.GetAsync(id, Ct))!;
        await Assert.ThrowsAsync<LeaseLostException>(() => mine.CommitAsync(ProjectCommits.Complete(current, lease, _time.GetUtcNow()), Ct));
        Assert.Same(current, await mine.GetAsync(id, Ct));
        Assert.Equal(Json(theirs.Snapshot), Json((await other.GetAsync(id, Ct))!));
    }

    [Fact]
    public async Task A_commit_without_events_replaces_the_held_snapshot_of_its_version()
    {
        var store = new SqliteCompanyStore(_temp.Open(_time));
        var id = ProjectId.New();
        var created = ProjectCommits.Create(id, _time.GetUtcNow());
        await store.CommitAsync(created, Ct);

        // No event, the same version, a changed snapshot: what the row now holds is what is read back.
        var changed = created.Snapshot with { Requirements = "changed without an event" };
        await store.CommitAsync(new ProjectCommit(id, created.Snapshot.Version, [], changed), Ct);
        Assert.Equal("changed without an event", (await store.GetAsync(id, Ct))!.Requirements);
        Assert.Equal(Json(changed), Json((await new SqliteCompanyStore(_temp.Open(_time)).GetAsync(id, Ct))!));
    }

    [Fact]
    public async Task A_snapshot_past_the_size_bound_is_read_from_the_row_and_not_held()
    {
        var store = new SqliteCompanyStore(_temp.Open(_time)) { MaxRememberedSnapshotChars = 2_000 };
        var small = ProjectId.New();
        var large = ProjectId.New();
        await store.CommitAsync(ProjectCommits.Create(small, _time.GetUtcNow()), Ct);
        var created = ProjectCommits.Create(large, _time.GetUtcNow());
        var big = created with { Snapshot = created.Snapshot with { Requirements = new string('r', 3_000) } };
        await store.CommitAsync(big, Ct);

        Assert.Equal(1, store.RememberedSnapshots);
        Assert.Equal(Json(big.Snapshot), Json((await store.GetAsync(large, Ct))!));
        Assert.Equal(1, store.RememberedSnapshots);
    }

    [Fact]
    public async Task A_commit_of_many_events_is_read_back_whole_and_in_order()
    {
        var store = new SqliteCompanyStore(_temp.Open(_time));
        var id = ProjectId.New();
        var created = ProjectCommits.Create(id, _time.GetUtcNow());
        await store.CommitAsync(created, Ct);
        foreach (int count in new[] { 1, 8, 9, 19 })
        {
            var snapshot = (await store.GetAsync(id, Ct))!;
            var commit = ProjectCommits.Next(snapshot, _time.GetUtcNow(), [.. Enumerable.Range(0, count).Select(i => new ClientAnswered($"{count}/{i}"))]);
            await store.CommitAsync(commit, Ct);
            var read = await store.ReadEventsAsync(id, snapshot.Version, Ct).ToListAsync(Ct);
            Assert.Equal(commit.Events.Select(ProjectEventSerializer.Serialize), read.Select(ProjectEventSerializer.Serialize));
        }

        Assert.Equal(1 + 1 + 8 + 9 + 19, (await store.GetAsync(id, Ct))!.Version);
    }

    private static string Json(ProjectSnapshot snapshot) =>
        JsonSerializer.Serialize(snapshot, ProjectEventSerializer.Options.GetTypeInfo(typeof(ProjectSnapshot)));
}
