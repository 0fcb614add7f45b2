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
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var workers = second.GetRequiredService<WorkDispatcher>().RunAsync(stop.Token);
            for (int i = 0; i < 300 && (await store.GetAsync(project.Id, Ct))!.Stage == project.Stage; i++)
            {
                await Task.Delay(100, Ct);
            }

            await stop.CancelAsync();
            await Task.WhenAny(workers).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }

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
