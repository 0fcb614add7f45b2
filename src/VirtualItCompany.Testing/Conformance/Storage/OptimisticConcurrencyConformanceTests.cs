using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>Optimistic concurrency: of the commits that expect the same version, exactly one wins.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class OptimisticConcurrencyConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    private const int Writers = 16;

    /// <summary>A commit with a stale expected version is refused with the current version and changes nothing.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Commit_with_a_stale_version_is_refused_and_changes_nothing()
    {
        var (storage, created, _) = await CreateProjectAsync();
        var first = ProjectCommits.Next(created.Snapshot, Now, new ClientAnswered("first"));
        var rival = ProjectCommits.Next(created.Snapshot, Now, new ClientAnswered("rival")) with
        {
            Enqueue = [ProjectCommits.Item(created.ProjectId, AgentRole.Developer, Now)],
        };
        await storage.Store.CommitAsync(first, Ct);

        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Store.CommitAsync(rival, Ct));

        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        await AssertStoredAsync(storage, created, first);
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>A commit expecting a version the project has not reached is refused too.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Commit_with_a_version_from_the_future_is_refused()
    {
        var (storage, created, _) = await CreateProjectAsync();
        var ahead = ProjectCommits.Next(created.Snapshot with { Version = 5 }, Now, new ClientAnswered("ahead"));

        var ex = await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Store.CommitAsync(ahead, Ct));

        Assert.Equal(1, ex.ActualVersion);
        await AssertStoredAsync(storage, created);
    }

    /// <summary>Many tasks committing at the same expected version at once: exactly one wins, the others get <see cref="ConcurrencyException"/>.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Concurrent_commits_at_the_same_version_let_exactly_one_win()
    {
        var (storage, created, _) = await CreateProjectAsync();
        var commits = Enumerable.Range(0, Writers).Select(i => ProjectCommits.Next(created.Snapshot, Now, new ClientAnswered($"answer {i}"))).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = commits.Select(c => Task.Run(async () =>
        {
            await start.Task.ConfigureAwait(false);
            try
            {
                await storage.Store.CommitAsync(c, Ct).ConfigureAwait(false);
                return true;
            }
            catch (ConcurrencyException)
            {
                return false;
            }
        }, Ct)).ToArray();

        start.SetResult();
        var outcomes = await Task.WhenAll(running).WaitAsync(Prompt, Ct);

        var winner = commits[Assert.Single(Enumerable.Range(0, Writers), i => outcomes[i])];
        await AssertStoredAsync(storage, created, winner);
    }

    /// <summary>Writers that reload and retry on conflict all get their event in, with contiguous versions.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Concurrent_writers_that_retry_on_conflict_all_land_with_contiguous_versions()
    {
        var (storage, created, _) = await CreateProjectAsync();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
        {
            while (true)
            {
                var current = await storage.Store.GetAsync(created.ProjectId, Ct).ConfigureAwait(false);
                try
                {
                    await storage.Store.CommitAsync(ProjectCommits.Next(current!, Now, new ClientAnswered($"answer {i}")), Ct).ConfigureAwait(false);
                    return;
                }
                catch (ConcurrencyException)
                {
                    // Someone else committed first: reload and try again, as the runtime does.
                }
            }
        }, Ct))).WaitAsync(Prompt * 3, Ct);

        var events = await ReadEventsAsync(storage, created.ProjectId);
        Assert.Equal(Enumerable.Range(1, Writers + 1).Select(v => (long)v), events.Select(e => e.Version));
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"answer {i}").Order(StringComparer.Ordinal), events.OfType<ClientAnswered>().Select(e => e.Answer).Order(StringComparer.Ordinal));
        Assert.Equal(Writers + 1, (await storage.Store.GetAsync(created.ProjectId, Ct))!.Version);
    }
}
