using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Storage.Sqlite.Tests;

/// <summary>
/// A work item whose host stopped after it paid for a model call is finished by another host on the same file, answered
/// from the journal in the file: the model is called once, the budget charged once, the events account for it once.
/// </summary>
public sealed class JournalRecoveryTests : IAsyncDisposable
{
    private readonly TempDatabase _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task A_try_stopped_after_a_paid_call_is_answered_from_the_journal_by_the_next_host_on_the_file()
    {
        var firstModel = new FakeChatClient("fake-model", new ModelPricing(1m, 2m));
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ProjectSnapshot project;
        string itemId;
        await using (var first = Build(firstModel, new RequirementsAgent(blockAfterTheCall: true, called)))
        {
            project = await first.GetRequiredService<IDeliveryCompany>().SubmitAsync(Brief(), Ct);
            itemId = Assert.Single(project.OutstandingWork).Key;
            using var stop = new CancellationTokenSource();
            var workers = first.GetRequiredService<WorkDispatcher>().RunAsync(stop.Token);
            await called.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.Single(await ((IModelCallJournal)first.GetRequiredService<IProjectStore>()).ListAsync(itemId, Ct));
            await stop.CancelAsync(); // the host stops in the middle of the item: nothing of it is committed
            await Task.WhenAny(workers).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }

        var secondModel = new FakeChatClient("fake-model", new ModelPricing(1m, 2m));
        await using var second = Build(secondModel, new RequirementsAgent(blockAfterTheCall: false, called: null));
        var store = second.GetRequiredService<IProjectStore>();
        await RunUntilTheStageIsLeftAsync(second, project);

        Assert.Equal(1, firstModel.Calls);
        Assert.Equal(0, secondModel.Calls);
        var events = await store.ReadEventsAsync(project.Id, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Contains(events, e => e is WorkItemCompleted c && c.WorkItemId == itemId);
        var charges = events.OfType<ModelCallCompleted>().Where(c => c.WorkItemId == itemId).ToList();
        Assert.Equal([ModelChargeKind.Completed, ModelChargeKind.Replayed], charges.Select(c => c.Outcome).Order());
        Assert.Equal(0m, charges.Single(c => c.Outcome == ModelChargeKind.Replayed).Cost);
        var spent = (await second.GetRequiredService<IBudgetAccount>().GetBalanceAsync(BudgetScope.ForProject(project.Id), Ct)).Spent;
        Assert.True(spent > 0m);
        Assert.Equal(spent, events.OfType<ModelCallCompleted>().Sum(c => c.Cost));
        Assert.Empty(await ((IModelCallJournal)store).ListAsync(itemId, Ct));
    }

    [Fact]
    public async Task A_call_that_completed_while_a_sweep_charged_its_reservation_in_full_is_accounted_for_once_by_the_next_try()
    {
        var model = new FakeChatClient("fake-model", new ModelPricing(1m, 2m));
        await using var host = Build(model, new RequirementsAgent(blockAfterTheCall: false, called: null));
        var store = host.GetRequiredService<IProjectStore>();
        var journal = (IModelCallJournal)store;
        var account = host.GetRequiredService<IBudgetAccount>();
        var project = await host.GetRequiredService<IDeliveryCompany>().SubmitAsync(Brief(), Ct);
        string itemId = Assert.Single(project.OutstandingWork).Key;

        // A first try, leased for a moment: its call completes and is journaled (cost 0.10, its reservation of 0.50 still
        // open) while the try's sweep charges that reservation in full and journals it as abandoned; the call's late
        // settlement then finds the reservation closed. The try dies before its commit.
        var lease = await host.GetRequiredService<IWorkQueue>().TryLeaseAsync(new LeaseRequest("first", TimeSpan.FromMilliseconds(300)), Ct);
        Assert.NotNull(lease);
        var reservation = (await account.TryReserveAsync(new BudgetReservationRequest(project.Id, 0.50m, itemId) { ModelId = "fake-model" }, Ct)).Reservation;
        Assert.NotNull(reservation);
        var now = DateTimeOffset.UnixEpoch;
        Assert.True(await journal.RecordAsync(new ModelCallRecord(itemId, "call-of-the-first-try", "an answer", "fake", "fake-model", 10, 10, 0.10m, TimeSpan.FromMilliseconds(5), reservation.Id, lease.Token, now), Ct));
        Assert.True(await ((IAbandonedCallSweep)store).SweepAbandonedAsync(itemId, lease.Token, r => new ModelCallRecord(itemId, "abandoned:" + r.Id, "", "unknown", r.ModelId ?? "unknown", 0, 0, r.Amount, TimeSpan.Zero, r.Id, lease.Token, now), Ct));
        Assert.False(await account.SettleAsync(reservation, 0.10m, Ct));

        // The lease lapses; a worker runs the item again and commits it with what the first try spent.
        await RunUntilTheStageIsLeftAsync(host, project);

        var events = await store.ReadEventsAsync(project.Id, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Contains(events, e => e is WorkItemCompleted c && c.WorkItemId == itemId);
        var charges = events.OfType<ModelCallCompleted>().Where(c => c.WorkItemId == itemId).ToList();
        // The reservation once, at the full amount it was charged (not also the 0.10 call it held), and the new try's call.
        Assert.Equal(0.50m, Assert.Single(charges, c => c.Outcome == ModelChargeKind.Abandoned).Cost);
        Assert.Single(charges, c => c.Outcome == ModelChargeKind.Completed);
        Assert.Equal(1, model.Calls);
        var spent = (await account.GetBalanceAsync(BudgetScope.ForProject(project.Id), Ct)).Spent;
        Assert.Equal(spent, events.OfType<ModelCallCompleted>().Sum(c => c.Cost));
        Assert.Empty(await journal.ListAsync(itemId, Ct));
    }

    /// <summary>Runs the host's workers until the project leaves the stage it was in (at most 30 s), then stops them.</summary>
    private static async Task RunUntilTheStageIsLeftAsync(IServiceProvider host, ProjectSnapshot project)
    {
        var store = host.GetRequiredService<IProjectStore>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var workers = host.GetRequiredService<WorkDispatcher>().RunAsync(stop.Token);
        for (int i = 0; i < 300 && (await store.GetAsync(project.Id, Ct))!.Stage == project.Stage; i++)
        {
            await Task.Delay(100, Ct);
        }

        await stop.CancelAsync();
        await Task.WhenAny(workers).WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    private static ProjectBrief Brief() => new()
    {
        Title = "Todo service",
        Description = "A small service that keeps a todo list.",
        AcceptanceCriteria = ["lists todos", "adds a todo"],
        Budget = 5m,
    };

    private ServiceProvider Build(IChatClient model, IAgent requirements)
    {
        var services = new ServiceCollection();
        services.AddSingleton(model);
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        var builder = services.AddVirtualItCompany(o =>
        {
            o.Workers = 2;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        }).UseSqliteStorage(_temp.ConnectionString);
        foreach (var agent in ForwardAgent.ForAllRoles())
        {
            builder.AddAgent(agent);
        }

        builder.AddAgent(requirements);
        return services.BuildServiceProvider();
    }

    /// <summary>The project manager: in the first stage one model call, then (in the first host) it hangs until its host stops; in later stages it waits.</summary>
    private sealed class RequirementsAgent(bool blockAfterTheCall, TaskCompletionSource? called) : IAgent
    {
        public AgentRole Role => AgentRole.ProjectManager;

        public async Task<AgentOutcome> ExecuteAsync(AgentContext context, CancellationToken cancellationToken)
        {
            if (context.WorkItem.Stage != LifecycleStage.RequirementsAnalysis)
            {
                // The next stage waits: no other call may be made or paid while the test looks at the accounts.
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var answer = await context.ChatClient.GetResponseAsync("Capture the requirements of the todo service.", cancellationToken: cancellationToken);
            if (blockAfterTheCall)
            {
                called?.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return AgentOutcome.Completed("requirements: " + answer.Text, LifecycleTrigger.RequirementsClear);
        }
    }
}
