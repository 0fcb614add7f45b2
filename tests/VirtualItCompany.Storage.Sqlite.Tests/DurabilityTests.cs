using System.Text;
using Microsoft.Extensions.Time.Testing;
using VirtualItCompany.Testing.Conformance.Storage;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>What one instance wrote is all there when another opens the same file after it was disposed: nothing lives only in a process.</summary>
public sealed class DurabilityTests : IAsyncDisposable
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);
    private readonly TempDatabase _temp = new();
    private readonly List<Instance> _instances = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => _time.GetUtcNow();

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await _temp.DisposeAsync();
    }

    [Fact]
    public async Task Projects_events_snapshots_and_outbox_messages_survive_a_reopen()
    {
        var first = await OpenAsync();
        var id = ProjectId.New();
        var created = ProjectCommits.Create(id, Now) with { Outbox = [new OutboxMessage("work", "k1", "{\"n\":1}")] };
        await first.Store.CommitAsync(created, Ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        var paused = ProjectCommits.Next(created.Snapshot, Now, new ClientAnswered("yes"), new ProjectPaused("holiday")) with { Outbox = [new OutboxMessage("work", "k2", "{\"n\":2}")] };
        await first.Store.CommitAsync(paused, Ct);
        var before = await first.Store.ReadAsync("work", 10, Ct);
        await first.DisposeAsync();

        var second = await OpenAsync();

        var snapshot = await second.Store.GetAsync(id, Ct);
        Assert.NotNull(snapshot);
        Assert.Equal(paused.Snapshot.Version, snapshot.Version);
        Assert.Equal(ProjectStatus.Paused, snapshot.Status);
        Assert.Equal(paused.Snapshot.UpdatedAt, snapshot.UpdatedAt);
        Assert.Equal(["yes"], snapshot.ClientAnswers);
        Assert.Equal(
            [.. created.Events.Concat(paused.Events).Select(ProjectEventSerializer.Serialize)],
            (await second.Store.ReadEventsAsync(id, cancellationToken: Ct).ToListAsync(Ct)).Select(ProjectEventSerializer.Serialize));
        Assert.Equal([id], (await second.Store.ListAsync(ProjectStatus.Paused, Ct).ToListAsync(Ct)).Select(s => s.Id));
        var after = await second.Store.ReadAsync("work", 10, Ct);
        Assert.Equal(before, after);

        // Sequences go on increasing after the reopen.
        await second.Store.AcknowledgeAsync("work", [after[0].Sequence], Ct);
        var third = ProjectCommits.Next(paused.Snapshot, Now, new ClientAnswered("again")) with { Outbox = [new OutboxMessage("work", "k3", "{}")] };
        await second.Store.CommitAsync(third, Ct);
        var pending = await second.Store.ReadAsync("work", 10, Ct);
        Assert.Equal(["k2", "k3"], pending.Select(e => e.Message.Key));
        Assert.True(pending[1].Sequence > pending[0].Sequence);
    }

    [Fact]
    public async Task Queue_items_keep_their_attempts_and_an_open_lease_lapses_after_its_expiry_across_a_reopen()
    {
        var first = await OpenAsync();
        var id = ProjectId.New();
        var items = new[] { AgentRole.Developer, AgentRole.Tester, AgentRole.Designer }.Select(r => ProjectCommits.Item(id, r, Now)).ToArray();
        var created = ProjectCommits.Create(id, Now, items);
        await first.Store.CommitAsync(created, Ct);
        var crashed = await LeaseAsync(first.Store, "w1");
        _time.Advance(LeaseDuration);
        var open = await LeaseAsync(first.Store, "w2");
        var retried = await LeaseAsync(first.Store, "w3");
        var retry = ProjectCommits.Retry(created.Snapshot, retried, Now, Now + TimeSpan.FromMinutes(5));
        await first.Store.CommitAsync(retry, Ct);
        Assert.Equal([items[0].Id, items[0].Id, items[1].Id], [crashed.Item.Id, open.Item.Id, retried.Item.Id]);
        Assert.Equal(2, open.Attempt);
        await first.DisposeAsync();

        var second = await OpenAsync();

        Assert.Equal(3, await second.Store.CountAsync(Ct));
        var waiting = await LeaseAsync(second.Store, "w4");
        Assert.Equal(items[2].Id, waiting.Item.Id);
        Assert.Equal(1, waiting.Attempt);
        Assert.True(waiting.Token > retried.Token, "Fencing tokens go on increasing after the reopen.");
        Assert.Null(await second.Store.TryLeaseAsync(new LeaseRequest("w5", LeaseDuration), Ct));

        // The lease open at the restart still fences: its holder may renew it until it lapses.
        var renewed = await second.Store.RenewAsync(open, TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(open.Token, renewed.Token);
        _time.Advance(TimeSpan.FromSeconds(30));
        var redelivered = await LeaseAsync(second.Store, "w5");
        Assert.Equal(items[0].Id, redelivered.Item.Id);
        Assert.Equal(3, redelivered.Attempt);
        await Assert.ThrowsAsync<LeaseLostException>(() => second.Store.CommitAsync(ProjectCommits.Complete(retry.Snapshot, open, Now), Ct));
        await second.Store.CommitAsync(ProjectCommits.Complete(retry.Snapshot, redelivered, Now), Ct);

        _time.Advance(TimeSpan.FromMinutes(5));
        var again = await LeaseAsync(second.Store, "w6");
        Assert.Equal(items[1].Id, again.Item.Id);
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public async Task Budget_limits_spend_and_open_reservations_survive_a_reopen()
    {
        var project = ProjectId.New();
        var projectScope = BudgetScope.ForProject(project);
        var first = await OpenAsync();
        await first.Budget.SetLimitAsync(BudgetScope.Company, 10m, Ct);
        await first.Budget.RaiseLimitAsync(projectScope, 5m, Ct);
        var open = (await first.Budget.TryReserveAsync(new(project, 2m, "wi_1") { ModelId = "m1" }, Ct)).Reservation!;
        var settled = (await first.Budget.TryReserveAsync(new(project, 1m, "wi_2"), Ct)).Reservation!;
        Assert.True(await first.Budget.SettleAsync(settled, 0.25m, Ct));
        await first.DisposeAsync();

        var second = await OpenAsync();

        Assert.Equal(new BudgetBalance(BudgetScope.Company, 10m, 0.25m, 2m), await second.Budget.GetBalanceAsync(BudgetScope.Company, Ct));
        Assert.Equal(new BudgetBalance(projectScope, 5m, 0.25m, 2m), await second.Budget.GetBalanceAsync(projectScope, Ct));
        Assert.False(await second.Budget.SettleAsync(settled, 1m, Ct));
        var charged = Assert.Single(await second.Budget.SettleOwnerAsync("wi_1", Ct));
        Assert.Equal(open, charged);
        Assert.Equal(new BudgetBalance(projectScope, 5m, 2.25m, 0m), await second.Budget.GetBalanceAsync(projectScope, Ct));
        Assert.False((await second.Budget.TryReserveAsync(new(project, 3m, "wi_3"), Ct)).IsGranted);
    }

    [Fact]
    public async Task Artifacts_with_their_versions_and_journal_records_survive_a_reopen()
    {
        var id = ProjectId.New();
        var first = await OpenAsync();
        var v1 = await first.Artifacts.SaveAsync(id, "src/Program.cs", Encoding.UTF8.GetBytes("v1"), Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        var v2 = await first.Artifacts.SaveAsync(id, "/src/Program.cs", Encoding.UTF8.GetBytes("v2"), Ct);
        var readme = await first.Artifacts.SaveAsync(id, "README.md", Encoding.UTF8.GetBytes("v1"), Ct);
        var item = ProjectCommits.Item(id, AgentRole.Developer, Now);
        await first.Store.CommitAsync(ProjectCommits.Create(id, Now, item), Ct);
        var lease = await LeaseAsync(first.Store, "w1"); // a record is stored only under the item's current lease
        var record = new ModelCallRecord(item.Id, "call-1", "{}", "offline", "offline-no-ai", 10, 20, 0.5m, TimeSpan.FromSeconds(2), "res_1", lease.Token, Now);
        Assert.True(await first.Store.RecordAsync(record, Ct));
        await first.DisposeAsync();

        var second = await OpenAsync();

        Assert.Equal([readme, v2], await second.Artifacts.ListAsync(id, Ct).ToListAsync(Ct));
        Assert.Equal("v1", Text(await second.Artifacts.ReadAsync(id, "src/Program.cs", 1, Ct)));
        Assert.Equal("v2", Text(await second.Artifacts.ReadAsync(id, "src/Program.cs", cancellationToken: Ct)));
        Assert.Null(await second.Artifacts.ReadAsync(id, "src/Program.cs", 3, Ct));
        Assert.Equal(v1.ContentHash, readme.ContentHash);
        Assert.Equal(v2, await second.Artifacts.SaveAsync(id, "src/Program.cs", Encoding.UTF8.GetBytes("v2"), Ct));
        Assert.Equal(record, await second.Store.FindAsync(item.Id, "call-1", Ct));
        Assert.Equal([record], await second.Store.ListAsync(item.Id, Ct));
        Assert.False(await second.Store.RecordAsync(record with { Cost = 1m }, Ct));
    }

    private static string? Text(ReadOnlyMemory<byte>? content) => content is { } c ? Encoding.UTF8.GetString(c.Span) : null;

    private static async Task<WorkLease> LeaseAsync(IWorkQueue queue, string worker) =>
        await queue.TryLeaseAsync(new LeaseRequest(worker, LeaseDuration), Ct) ?? throw new InvalidOperationException($"The queue gave {worker} no lease although an item was available.");

    private Task<Instance> OpenAsync()
    {
        var instance = new Instance(SqliteDatabase.Open(new SqliteStorageOptions { ConnectionString = _temp.ConnectionString }, _time));
        _instances.Add(instance);
        return Task.FromResult(instance);
    }

    /// <summary>One "process" over the file.</summary>
    private sealed class Instance(SqliteDatabase database) : IAsyncDisposable
    {
        public SqliteCompanyStore Store { get; } = new(database);

        public SqliteArtifactStore Artifacts { get; } = new(database);

        public SqliteBudgetAccount Budget { get; } = new(database);

        public ValueTask DisposeAsync() => database.DisposeAsync();
    }
}
