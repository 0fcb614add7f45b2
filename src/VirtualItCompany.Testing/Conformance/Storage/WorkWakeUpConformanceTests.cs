using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>Wake-ups: <see cref="IWorkQueue.WaitForWorkAsync"/> returns promptly when work may be available, after its longest wait otherwise, and honours cancellation.</summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class WorkWakeUpConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    /// <summary>A waiter returns promptly when a commit enqueues work, without the clock moving.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_waiter_returns_promptly_after_a_commit_enqueues()
    {
        var (storage, created, _) = await CreateProjectAsync();
        var wait = storage.Queue.WaitForWorkAsync(MaxWait, Ct).AsTask();
        Assert.False(wait.IsCompleted, "The wait returned before any work was committed.");

        await storage.Store.CommitAsync(ProjectCommits.Schedule(created.Snapshot, Now, ProjectCommits.Item(created.ProjectId, AgentRole.Tester, Now)), Ct);

        await wait.WaitAsync(Prompt, Ct);
        Assert.NotNull(await TryLeaseAsync(storage));
    }

    /// <summary>A waiter returns promptly when a lease is released.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_waiter_returns_promptly_after_a_release()
    {
        var (storage, _, _) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage);
        await storage.Queue.WaitForWorkAsync(TimeSpan.Zero, Ct); // consumes the enqueue's wake-up, if the queue keeps one
        var wait = storage.Queue.WaitForWorkAsync(MaxWait, Ct).AsTask();
        Assert.False(wait.IsCompleted, "The wait returned before the lease was released.");

        await storage.Queue.ReleaseAsync(lease, Ct);

        await wait.WaitAsync(Prompt, Ct);
        Assert.NotNull(await TryLeaseAsync(storage, "w2"));
    }

    /// <summary>A waiter returns when a retry time comes, before its longest wait.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_waiter_returns_when_a_retry_time_comes()
    {
        var (storage, created, _) = await CreateProjectAsync(AgentRole.Developer);
        var lease = await LeaseAsync(storage);
        await storage.Store.CommitAsync(ProjectCommits.Retry(created.Snapshot, lease, Now, Now + TimeSpan.FromMinutes(1)), Ct);
        await storage.Queue.WaitForWorkAsync(TimeSpan.Zero, Ct);

        var wait = storage.Queue.WaitForWorkAsync(MaxWait, Ct).AsTask();
        await AdvanceUntilCompletedAsync(wait, TimeSpan.FromMinutes(1));

        Assert.NotNull(await TryLeaseAsync(storage, "w2"));
    }

    /// <summary>A waiter returns when a lease lapses, before its longest wait.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_waiter_returns_when_a_lease_lapses()
    {
        var (storage, _, _) = await CreateProjectAsync(AgentRole.Developer);
        await LeaseAsync(storage);
        await storage.Queue.WaitForWorkAsync(TimeSpan.Zero, Ct);

        var wait = storage.Queue.WaitForWorkAsync(MaxWait, Ct).AsTask();
        await AdvanceUntilCompletedAsync(wait, LeaseDuration);

        Assert.NotNull(await TryLeaseAsync(storage, "w2"));
    }

    /// <summary>With nothing happening, a waiter returns after its longest wait on the store's clock, not before.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_waiter_returns_after_its_longest_wait_when_nothing_happens()
    {
        var (storage, _, _) = await CreateProjectAsync();
        var wait = storage.Queue.WaitForWorkAsync(MaxWait, Ct).AsTask();

        Time.Advance(MaxWait - TimeSpan.FromSeconds(1));
        await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMilliseconds(50), Ct));
        Assert.False(wait.IsCompleted, "The wait returned before its longest wait with nothing committed.");

        await AdvanceUntilCompletedAsync(wait, TimeSpan.FromSeconds(1));
    }

    /// <summary>Cancelling a wait ends it with <see cref="OperationCanceledException"/>.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task Cancelling_a_wait_ends_it()
    {
        var (storage, _, _) = await CreateProjectAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var wait = storage.Queue.WaitForWorkAsync(MaxWait, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Prompt, Ct));
    }

    /// <summary>Advances the fake clock by a step and waits briefly in real time for the wait to end, a few times (an adapter may arm its timer a moment after the call returns).</summary>
    private async Task AdvanceUntilCompletedAsync(Task wait, TimeSpan step)
    {
        for (int i = 0; i < 20 && !wait.IsCompleted; i++)
        {
            Time.Advance(i == 0 ? step : TimeSpan.FromSeconds(1));
            await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMilliseconds(100), Ct));
        }

        Assert.True(wait.IsCompleted, $"The wait did not return after the clock moved {step} (and up to 19 seconds more).");
        await wait;
    }
}
