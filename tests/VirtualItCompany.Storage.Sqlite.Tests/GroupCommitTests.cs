using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>Writes that wait together share one transaction: one refused or failing commit undoes only itself, and no caller hears of its commit before the batch is durable.</summary>
public sealed class GroupCommitTests : IAsyncDisposable
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => _time.GetUtcNow();

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task Commits_waiting_together_land_in_one_transaction_and_a_failing_one_undoes_only_itself()
    {
        var (database, store, existing, lost, current) = await ArrangeRefusalsAsync();
        var good = Enumerable.Range(0, 4).Select(_ => ProjectCommits.Create(ProjectId.New(), Now)).ToArray();
        var faulty = ProjectCommits.Create(ProjectId.New(), Now);
        int commitsRun = 0;
        store.FaultInjection = (_, _) =>
        {
            // The faulty commit is the third to reach the hook in each run of the batch: it fails after writing its events
            // and snapshot, so the batch is rolled back and runs again with a savepoint per write (good[0], good[1], faulty).
            int run = Interlocked.Increment(ref commitsRun);
            if (run is 3 or 6)
            {
                throw new InvalidOperationException("Fault injected in the third commit of the batch.");
            }
        };

        var (release, batchesBefore) = await HoldTheWriterAsync(database);
        var tasks = new[]
        {
            store.CommitAsync(good[0], Ct),
            store.CommitAsync(existing with { }, Ct), // refused: the project exists (never reaches the fault hook)
            store.CommitAsync(good[1], Ct),
            store.CommitAsync(faulty, Ct), // the third commit to reach the hook
            store.CommitAsync(good[2], Ct),
            store.CommitAsync(ProjectCommits.Complete(existing.Snapshot, lost, Now), Ct), // refused: the lease was lost
            store.CommitAsync(good[3], Ct),
        };
        Assert.All(tasks, t => Assert.False(t.IsCompleted));
        release.SetResult();
        await Task.WhenAny(Task.WhenAll(tasks)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.IsType<ConcurrencyException>(tasks[1].Exception?.InnerException);
        Assert.IsType<InvalidOperationException>(tasks[3].Exception?.InnerException);
        Assert.IsType<LeaseLostException>(tasks[5].Exception?.InnerException);
        Assert.All(new[] { tasks[0], tasks[2], tasks[4], tasks[6] }, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(batchesBefore + 2, database.BatchesCommitted);
        Assert.Equal(1, database.BatchesRunAgain);
        Assert.Equal(8, commitsRun);
        foreach (var commit in good)
        {
            Assert.Equal(1, (await store.GetAsync(commit.ProjectId, Ct))?.Version);
        }

        Assert.Null(await store.GetAsync(faulty.ProjectId, Ct));
        Assert.Equal(2, (await store.GetAsync(existing.ProjectId, Ct))?.Version);
        Assert.Equal(current.Token, (await store.RenewAsync(current, LeaseDuration, Ct)).Token);
    }

    [Fact]
    public async Task Commits_refused_before_they_write_fail_alone_without_running_the_batch_again()
    {
        var (database, store, existing, lost, _) = await ArrangeRefusalsAsync();
        var good = Enumerable.Range(0, 3).Select(_ => ProjectCommits.Create(ProjectId.New(), Now)).ToArray();
        int commitsWritten = 0;
        store.FaultInjection = (_, _) => Interlocked.Increment(ref commitsWritten);

        var (release, batchesBefore) = await HoldTheWriterAsync(database);
        var tasks = new[]
        {
            store.CommitAsync(good[0], Ct),
            store.CommitAsync(existing with { }, Ct), // refused: the project exists
            store.CommitAsync(good[1], Ct),
            store.CommitAsync(ProjectCommits.Complete(existing.Snapshot, lost, Now), Ct), // refused: the lease was lost
            store.CommitAsync(good[2], Ct),
        };
        release.SetResult();
        await Task.WhenAny(Task.WhenAll(tasks)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.IsType<ConcurrencyException>(tasks[1].Exception?.InnerException);
        Assert.IsType<LeaseLostException>(tasks[3].Exception?.InnerException);
        Assert.All(new[] { tasks[0], tasks[2], tasks[4] }, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(batchesBefore + 2, database.BatchesCommitted);
        Assert.Equal(0, database.BatchesRunAgain);
        Assert.Equal(3, commitsWritten); // each good commit ran once
        foreach (var commit in good)
        {
            Assert.Equal(1, (await store.GetAsync(commit.ProjectId, Ct))?.Version);
        }

        Assert.Equal(2, (await store.GetAsync(existing.ProjectId, Ct))?.Version);
    }

    [Fact]
    public async Task A_write_that_fails_after_changing_rows_is_undone_alone_and_the_others_run_again_to_land()
    {
        var database = _temp.Open(_time);
        var store = new SqliteCompanyStore(database);
        var (release, _) = await HoldTheWriterAsync(database);
        var first = ProjectCommits.Create(ProjectId.New(), Now);
        int runs = 0;
        var committing = store.CommitAsync(first, Ct);
        // A write of its own that inserts a row and then fails: the row must not land.
        var failing = database.WriteAsync<bool>(
            context =>
            {
                Interlocked.Increment(ref runs);
                using var insert = context.Connection.Command("INSERT INTO counters (name, value) VALUES ('group_commit_test', 1);");
                insert.ExecuteNonQuery();
                throw new InvalidOperationException("Fails after its insert.");
            },
            Ct);
        var second = ProjectCommits.Create(ProjectId.New(), Now);
        var committingSecond = store.CommitAsync(second, Ct);
        release.SetResult();

        await committing.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await committingSecond.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(2, runs); // once without a savepoint, once in its own
        Assert.Equal(1, database.BatchesRunAgain);
        Assert.Equal(1, (await store.GetAsync(first.ProjectId, Ct))?.Version);
        Assert.Equal(1, (await store.GetAsync(second.ProjectId, Ct))?.Version);
        long count = database.Read(c =>
        {
            using var query = c.Command("SELECT count(*) FROM counters WHERE name = 'group_commit_test';");
            return query.Int64OrNull() ?? -1;
        });
        Assert.Equal(0, count);
    }

    [Fact]
    public async Task A_commit_completes_only_once_its_batch_is_durable()
    {
        var database = _temp.Open(_time);
        var store = new SqliteCompanyStore(database);
        var (releaseFirst, _) = await HoldTheWriterAsync(database);
        var commit = ProjectCommits.Create(ProjectId.New(), Now);
        var committing = store.CommitAsync(commit, Ct);
        var inBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastOfBatch = database.WriteAsync(
            _ =>
            {
                inBatch.SetResult();
                releaseSecond.Task.Wait(Ct);
                return true;
            },
            Ct);

        releaseFirst.SetResult();
        await inBatch.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // The commit ran in this batch, but the batch has not committed: its caller must not hear of it, nor a reader see it.
        Assert.False(committing.IsCompleted);
        Assert.Null(await store.GetAsync(commit.ProjectId, Ct));
        releaseSecond.SetResult();
        await committing.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await lastOfBatch;
        Assert.Equal(1, (await store.GetAsync(commit.ProjectId, Ct))?.Version);
    }

    [Fact]
    public async Task With_a_batch_size_of_one_every_write_is_its_own_transaction()
    {
        var database = _temp.Open(_time, o => o.MaxBatchSize = 1);
        var store = new SqliteCompanyStore(database);
        long before = database.BatchesCommitted;

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => store.CommitAsync(ProjectCommits.Create(ProjectId.New(), Now), Ct)));

        Assert.Equal(before + 10, database.BatchesCommitted);
        Assert.Equal(10, (await store.ListAsync(cancellationToken: Ct).ToListAsync(Ct)).Count);
    }

    [Fact]
    public async Task A_write_cancelled_while_it_waits_for_its_batch_is_not_written()
    {
        var database = _temp.Open(_time);
        var store = new SqliteCompanyStore(database);
        var (release, _) = await HoldTheWriterAsync(database);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var commit = ProjectCommits.Create(ProjectId.New(), Now);
        var committing = store.CommitAsync(commit, cancel.Token);

        await cancel.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => committing.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Null(await store.GetAsync(commit.ProjectId, Ct));
    }

    /// <summary>
    /// A store with a project whose first item was leased twice: <c>existing</c> cannot be committed again (the project
    /// exists), and a commit settling the <c>lost</c> lease is refused (the lease lapsed and <c>current</c> holds the item).
    /// </summary>
    private async Task<(SqliteDatabase Database, SqliteCompanyStore Store, ProjectCommit Existing, WorkLease Lost, WorkLease Current)> ArrangeRefusalsAsync()
    {
        var database = _temp.Open(_time);
        var store = new SqliteCompanyStore(database);
        var id = ProjectId.New();
        var existing = ProjectCommits.Create(id, Now, ProjectCommits.Item(id, AgentRole.Developer, Now));
        await store.CommitAsync(existing, Ct);
        var lost = await store.TryLeaseAsync(new LeaseRequest("w1", LeaseDuration), Ct);
        _time.Advance(LeaseDuration);
        var current = await store.TryLeaseAsync(new LeaseRequest("w2", LeaseDuration), Ct);
        return (database, store, existing, lost!, current!);
    }

    /// <summary>Keeps the writer busy with a write of its own until released, so the writes queued meanwhile form the next batch.</summary>
    private static async Task<(TaskCompletionSource Release, long BatchesBefore)> HoldTheWriterAsync(SqliteDatabase database)
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long before = database.BatchesCommitted;
        _ = database.WriteAsync(
            _ =>
            {
                running.SetResult();
                release.Task.Wait(TimeSpan.FromSeconds(30));
                return true;
            },
            CancellationToken.None);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        return (release, before);
    }
}
