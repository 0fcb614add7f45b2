using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>Commits and reads: versions, event order, snapshots, listings, and the commits a store must refuse.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class CommitAndReadConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    /// <summary>Creating a project stores its events and the snapshot as committed.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Creating_a_project_stores_its_events_and_snapshot()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.ProjectManager);

        await AssertStoredAsync(storage, created);
        Assert.Equal(2, (await storage.Store.GetAsync(created.ProjectId, Ct))!.Version);
    }

    /// <summary>Reading after a version returns exactly the later events, in order.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task ReadEvents_after_a_version_returns_exactly_the_later_events_in_order()
    {
        var (storage, created, _) = await CreateProjectAsync();
        var second = ProjectCommits.Next(created.Snapshot, Now, new ClientAnswered("one"), new ClientAnswered("two"));
        await storage.Store.CommitAsync(second, Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        var third = ProjectCommits.Next(second.Snapshot, Now, new ClientAnswered("three"));
        await storage.Store.CommitAsync(third, Ct);

        AssertSameEvents([.. created.Events, .. second.Events, .. third.Events], await ReadEventsAsync(storage, created.ProjectId));
        AssertSameEvents([.. second.Events.Skip(1), .. third.Events], await ReadEventsAsync(storage, created.ProjectId, afterVersion: 2));
        AssertSameEvents(third.Events, await ReadEventsAsync(storage, created.ProjectId, afterVersion: 3));
        Assert.Empty(await ReadEventsAsync(storage, created.ProjectId, afterVersion: 4));
        Assert.Equal([1L, 2L, 3L, 4L], (await ReadEventsAsync(storage, created.ProjectId)).Select(e => e.Version));
    }

    /// <summary>Getting a project returns the snapshot of its last commit, as the runtime folded it.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Get_returns_the_snapshot_of_the_last_commit()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.ProjectManager);
        Time.Advance(TimeSpan.FromMinutes(5));
        var paused = ProjectCommits.Next(created.Snapshot, Now, new ClientAnswered("yes"), new ProjectPaused("holiday"));

        await storage.Store.CommitAsync(paused, Ct);

        var stored = await storage.Store.GetAsync(created.ProjectId, Ct);
        AssertSameSnapshot(paused.Snapshot, stored);
        Assert.Equal(ProjectStatus.Paused, stored!.Status);
        Assert.Equal(Now, stored.UpdatedAt);
    }

    /// <summary>Listing returns the projects newest first, and only those of a status when one is given.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task List_returns_projects_newest_first_and_filters_by_status()
    {
        var storage = await CreateStorageAsync();
        var (oldest, _) = await AddProjectAsync(storage);
        Time.Advance(TimeSpan.FromMinutes(1));
        var (middle, _) = await AddProjectAsync(storage);
        Time.Advance(TimeSpan.FromMinutes(1));
        var (newest, _) = await AddProjectAsync(storage);
        await storage.Store.CommitAsync(ProjectCommits.Next(middle.Snapshot, Now, new ProjectPaused("holiday")), Ct);

        Assert.Equal([newest.ProjectId, middle.ProjectId, oldest.ProjectId], (await ListAsync(storage)).Select(s => s.Id));
        Assert.Equal([newest.ProjectId, oldest.ProjectId], (await ListAsync(storage, ProjectStatus.Active)).Select(s => s.Id));
        var paused = Assert.Single(await ListAsync(storage, ProjectStatus.Paused));
        Assert.Equal(middle.ProjectId, paused.Id);
        Assert.Equal(2, paused.Version);
        Assert.Empty(await ListAsync(storage, ProjectStatus.Completed));
    }

    /// <summary>A project that does not exist reads as nothing.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task An_unknown_project_has_no_snapshot_and_no_events()
    {
        var storage = await CreateStorageAsync();

        Assert.Null(await storage.Store.GetAsync(ProjectId.New(), Ct));
        Assert.Empty(await ReadEventsAsync(storage, ProjectId.New()));
        Assert.Empty(await ListAsync(storage));
    }

    /// <summary>Creating a project that exists is refused with <see cref="ConcurrencyException"/> and changes nothing.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Creating_a_project_twice_is_refused_and_changes_nothing()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.ProjectManager);
        Time.Advance(TimeSpan.FromMinutes(1));
        var again = ProjectCommits.Create(created.ProjectId, Now, ProjectCommits.Item(created.ProjectId, AgentRole.Developer, Now));

        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Store.CommitAsync(again, Ct));

        Assert.Equal(0, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        Assert.Equal(created.ProjectId, ex.ProjectId);
        await AssertStoredAsync(storage, created);
        Assert.Equal(1, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>A commit to a project that does not exist is refused with <see cref="ProjectNotFoundException"/> and stores nothing.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Commit_to_an_unknown_project_is_refused_and_stores_nothing()
    {
        var storage = await CreateStorageAsync();
        var ghost = ProjectCommits.Create(ProjectId.New(), Now);
        var item = ProjectCommits.Item(ghost.ProjectId, AgentRole.Developer, Now);

        await Assert.ThrowsAsync<ProjectNotFoundException>(() => storage.Store.CommitAsync(ProjectCommits.Schedule(ghost.Snapshot, Now, item), Ct));

        Assert.Null(await storage.Store.GetAsync(ghost.ProjectId, Ct));
        Assert.Empty(await ReadEventsAsync(storage, ghost.ProjectId));
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>A malformed commit (see <see cref="ProjectCommit.GetProblems"/>) is refused with <see cref="ArgumentException"/> and stores nothing.</summary>
    /// <param name="flaw">What is wrong with the commit.</param>
    /// <returns>A task that completes when the test ends.</returns>
    [Theory]
    [InlineData("unstamped events")]
    [InlineData("wrong snapshot version")]
    [InlineData("first event not ProjectCreated")]
    [InlineData("event of another project")]
    public async Task A_malformed_commit_is_refused_with_ArgumentException_and_stores_nothing(string flaw)
    {
        var storage = await CreateStorageAsync();
        var (existing, _) = await AddProjectAsync(storage);
        var id = ProjectId.New();
        var item = ProjectCommits.Item(id, AgentRole.Developer, Now);
        var good = ProjectCommits.Create(id, Now, item);
        var appended = ProjectCommits.Next(existing.Snapshot, Now, new ClientAnswered("yes"));
        var malformed = flaw switch
        {
            "unstamped events" => good with { Events = [good.Events[0], new WorkItemScheduled(item)] },
            "wrong snapshot version" => good with { Snapshot = good.Snapshot with { Version = 7 } },
            "first event not ProjectCreated" => good with { Events = good.Events.Skip(1).Select((e, i) => e with { Version = i + 1 }).ToList(), Snapshot = good.Snapshot with { Version = 1 } },
            _ => appended with { Events = [appended.Events[0] with { ProjectId = id }] },
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(() => storage.Store.CommitAsync(malformed, Ct));

        Assert.Null(await storage.Store.GetAsync(id, Ct));
        Assert.Empty(await ReadEventsAsync(storage, id));
        await AssertStoredAsync(storage, existing);
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }
}
