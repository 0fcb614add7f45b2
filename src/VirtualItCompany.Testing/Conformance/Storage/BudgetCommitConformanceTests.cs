using Xunit;

namespace VirtualItCompany.Testing.Conformance.Storage;

/// <summary>
/// Budget operations carried by a commit (<see cref="ProjectCommit.Budget"/>, <see cref="IBudgetCommitStore"/>): applied to the
/// store's account with the commit, as the account's own calls would apply them (a settled reservation is not settled again,
/// a limit is never lowered), and not at all when the commit is refused or fails midway.
/// </summary>
/// <typeparam name="TFixture">The adapter's fixture.</typeparam>
[ConformanceSuite(ConformanceSuiteAttribute.Storage)]
public abstract class BudgetCommitConformanceTests<TFixture> : StorageSuite<TFixture>
    where TFixture : StorageFixture, new()
{
    /// <summary>The creating commit raises the project's limit; the commit that settles the item's lease settles its call's reservation at the call's cost, in the project's and the company's budget.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_commit_raises_limits_and_settles_reservations_with_its_changes()
    {
        var (storage, budget) = await CreateBudgetStorageAsync();
        var (created, items, scope) = await CreateProjectWithLimitAsync(storage, 10m);
        Assert.Equal(10m, (await budget.GetBalanceAsync(scope, Ct)).Limit);

        var lease = await LeaseAsync(storage);
        var reservation = await ReserveAsync(budget, created.ProjectId, items[0].Id, 2m);
        await storage.Store.CommitAsync(ProjectCommits.Complete(created.Snapshot, lease, Now) with { Budget = [new SettleReservation(reservation.Id, 1.5m)] }, Ct);

        var project = await budget.GetBalanceAsync(scope, Ct);
        Assert.Equal(1.5m, project.Spent);
        Assert.Equal(0m, project.Reserved);
        var company = await budget.GetBalanceAsync(BudgetScope.Company, Ct);
        Assert.Equal(1.5m, company.Spent);
        Assert.Equal(0m, company.Reserved);
        Assert.Equal(0, await storage.Queue.CountAsync(Ct));
    }

    /// <summary>A reservation already settled is left as it is, and a limit raise below the current limit leaves the limit.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_settled_reservation_is_not_settled_again_and_a_limit_is_never_lowered()
    {
        var (storage, budget) = await CreateBudgetStorageAsync();
        var (created, items, scope) = await CreateProjectWithLimitAsync(storage, 10m);
        var reservation = await ReserveAsync(budget, created.ProjectId, items[0].Id, 2m);
        Assert.True(await budget.SettleAsync(reservation, 1m, Ct));

        var next = ProjectCommits.Next(created.Snapshot, Now, new ClientAnswered("an answer"))
            with { Budget = [new SettleReservation(reservation.Id, 2m), new RaiseBudgetLimit(scope, 3m)] };
        await storage.Store.CommitAsync(next, Ct);

        var balance = await budget.GetBalanceAsync(scope, Ct);
        Assert.Equal(1m, balance.Spent);
        Assert.Equal(0m, balance.Reserved);
        Assert.Equal(10m, balance.Limit);
        await AssertStoredAsync(storage, created, next);
    }

    /// <summary>A commit refused for its version or its lease applies none of its budget operations.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_refused_commit_applies_none_of_its_budget_operations()
    {
        var (storage, budget) = await CreateBudgetStorageAsync();
        var (created, items, scope) = await CreateProjectWithLimitAsync(storage, 10m);
        var lease = await LeaseAsync(storage);
        var reservation = await ReserveAsync(budget, created.ProjectId, items[0].Id, 2m);
        var operations = new BudgetOperation[] { new SettleReservation(reservation.Id, 1m), new RaiseBudgetLimit(scope, 20m) };

        var stale = ProjectCommits.Complete(created.Snapshot, lease, Now) with { ExpectedVersion = created.Snapshot.Version + 5, Budget = operations };
        await Assert.ThrowsAsync<ConcurrencyException>(() => storage.Store.CommitAsync(Restamp(stale), Ct));

        Time.Advance(LeaseDuration + TimeSpan.FromSeconds(1));
        var lost = ProjectCommits.Complete(created.Snapshot, lease, Now) with { Budget = operations };
        await Assert.ThrowsAsync<LeaseLostException>(() => storage.Store.CommitAsync(lost, Ct));

        var balance = await budget.GetBalanceAsync(scope, Ct);
        Assert.Equal(10m, balance.Limit);
        Assert.Equal(0m, balance.Spent);
        Assert.Equal(2m, balance.Reserved);
        await AssertStoredAsync(storage, created);
    }

    /// <summary>A commit that fails in the middle applies none of its budget operations.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_commit_that_fails_midway_applies_none_of_its_budget_operations()
    {
        Assert.SkipUnless(Fixture.SupportsCommitFaultInjection, "The adapter cannot inject a failure in the middle of a commit.");
        var (storage, budget) = await CreateBudgetStorageAsync();
        Assert.True(storage.FailNextCommitMidway is not null, "The fixture says it supports commit fault injection but set no FailNextCommitMidway.");
        var (created, items, scope) = await CreateProjectWithLimitAsync(storage, 10m);
        var lease = await LeaseAsync(storage);
        var reservation = await ReserveAsync(budget, created.ProjectId, items[0].Id, 2m);

        storage.FailNextCommitMidway();
        var commit = ProjectCommits.Complete(created.Snapshot, lease, Now) with { Budget = [new SettleReservation(reservation.Id, 1m), new RaiseBudgetLimit(scope, 20m)] };
        await Assert.ThrowsAnyAsync<Exception>(() => storage.Store.CommitAsync(commit, Ct));

        var balance = await budget.GetBalanceAsync(scope, Ct);
        Assert.Equal(10m, balance.Limit);
        Assert.Equal(0m, balance.Spent);
        Assert.Equal(2m, balance.Reserved);
        await AssertStoredAsync(storage, created);

        // The same commit, without the fault, applies them.
        await storage.Store.CommitAsync(commit, Ct);
        balance = await budget.GetBalanceAsync(scope, Ct);
        Assert.Equal((20m, 1m, 0m), (balance.Limit, balance.Spent, balance.Reserved));
    }

    /// <summary>A malformed budget operation is refused with the commit, before anything is written.</summary>
    /// <returns>A task that completes when the test ends.</returns>
    [Fact]
    public async Task A_malformed_budget_operation_is_refused()
    {
        var (storage, budget) = await CreateBudgetStorageAsync();
        var (created, _, scope) = await CreateProjectWithLimitAsync(storage, 10m);
        var next = ProjectCommits.Next(created.Snapshot, Now, new ClientAnswered("an answer"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => storage.Store.CommitAsync(next with { Budget = [new SettleReservation("", -1m), new RaiseBudgetLimit(scope, BudgetLimits.MaxAmount + 1)] }, Ct));
        Assert.Contains("SettleReservation", error.Message, StringComparison.Ordinal);
        Assert.Contains("RaiseBudgetLimit", error.Message, StringComparison.Ordinal);
        Assert.Equal(10m, (await budget.GetBalanceAsync(scope, Ct)).Limit);
        await AssertStoredAsync(storage, created);
    }

    private static ProjectCommit Restamp(ProjectCommit commit) => commit with
    {
        Events = [.. commit.Events.Select((e, i) => e with { Version = commit.ExpectedVersion + i + 1 })],
        Snapshot = commit.Snapshot with { Version = commit.ExpectedVersion + commit.Events.Count },
    };

    private async Task<(StorageUnderTest Storage, IBudgetAccount Budget)> CreateBudgetStorageAsync()
    {
        Assert.SkipUnless(Fixture.SupportsBudgetOperations, "The adapter applies no budget operations in its commits.");
        var storage = await CreateStorageAsync();
        Assert.True(storage.Budget is not null, "The fixture says it supports budget operations but gave no budget account.");
        Assert.True(storage.Store is IBudgetCommitStore { BudgetAccount: { } account } && ReferenceEquals(account, storage.Budget), "The store must implement IBudgetCommitStore with the fixture's budget account.");
        return (storage, storage.Budget);
    }

    private async Task<(ProjectCommit Created, WorkItem[] Items, BudgetScope Scope)> CreateProjectWithLimitAsync(StorageUnderTest storage, decimal limit)
    {
        var id = ProjectId.New();
        var items = new[] { ProjectCommits.Item(id, AgentRole.Developer, Now, "item 0") };
        var scope = BudgetScope.ForProject(id);
        var created = ProjectCommits.Create(id, Now, items) with { Budget = [new RaiseBudgetLimit(scope, limit)] };
        await storage.Store.CommitAsync(created, Ct);
        return (created, items, scope);
    }

    private static async Task<BudgetReservation> ReserveAsync(IBudgetAccount budget, ProjectId projectId, string owner, decimal amount)
    {
        var result = await budget.TryReserveAsync(new BudgetReservationRequest(projectId, amount, owner), Ct);
        Assert.True(result.Reservation is not null, $"A reservation of ${amount} was refused by {result.RefusedBy}.");
        return result.Reservation;
    }
}
