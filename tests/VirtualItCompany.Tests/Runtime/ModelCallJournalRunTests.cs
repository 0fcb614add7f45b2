using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>
/// A try of a work item that paid for model calls and was never committed (its worker stopped or died) is followed by a try
/// that is answered from the journal: the model is called once, the budget charged once, and the events account for the
/// charge exactly once.
/// </summary>
public sealed class ModelCallJournalRunTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_try_stopped_after_a_paid_call_is_followed_by_one_answered_from_the_journal()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var manager = new ScriptedAgent(AgentRole.ProjectManager, async (context, n, ct) =>
        {
            var answer = await context.ChatClient.GetResponseAsync("Capture the requirements of the todo service.", cancellationToken: ct);
            if (n == 1)
            {
                called.TrySetResult();
                await release.Task.WaitAsync(ct); // the first try stops here: its worker is stopped
            }

            return AgentOutcome.Completed("requirements: " + answer.Text, LifecycleTrigger.RequirementsClear);
        });
        await using var company = new TestCompany(b => b.AddAgent(manager), startWorkers: false);
        var queue = company.Services.GetRequiredService<IWorkQueue>();
        var store = company.Services.GetRequiredService<IProjectStore>();
        var orchestrator = company.Services.GetRequiredService<WorkOrchestrator>();
        var leaseFor = company.Services.GetRequiredService<IOptions<CompanyOptions>>().Value.LeaseDuration;
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var first = (await queue.TryLeaseAsync(new LeaseRequest("stopping", leaseFor), Ct))!;
        using var stop = new CancellationTokenSource();
        var stopped = orchestrator.ProcessAsync(first, stop.Token);
        await called.Task.WaitAsync(Ct);
        Assert.Single(await ((IModelCallJournal)store).ListAsync(first.Item.Id, Ct));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);

        var second = (await queue.TryLeaseAsync(new LeaseRequest("next", leaseFor), Ct))!;
        Assert.Equal(first.Item.Id, second.Item.Id);
        await orchestrator.ProcessAsync(second, Ct);

        Assert.Equal(1, company.Model.Calls);
        var events = await store.ReadEventsAsync(project.Id, cancellationToken: Ct).ToListAsync(Ct);
        var charges = events.OfType<ModelCallCompleted>().Where(c => c.WorkItemId == first.Item.Id).ToList();
        Assert.Equal([ModelChargeKind.Completed, ModelChargeKind.Replayed], charges.Select(c => c.Outcome).Order());
        Assert.Equal(0m, charges.Single(c => c.Outcome == ModelChargeKind.Replayed).Cost);
        var budget = company.Services.GetRequiredService<IBudgetAccount>();
        var spent = (await budget.GetBalanceAsync(BudgetScope.ForProject(project.Id), Ct)).Spent;
        Assert.True(spent > 0m);
        Assert.Equal(spent, events.OfType<ModelCallCompleted>().Sum(c => c.Cost));
        Assert.Empty(await ((IModelCallJournal)store).ListAsync(first.Item.Id, Ct)); // pruned by the commit that settled the lease
        Assert.Single(events.OfType<WorkItemCompleted>());
    }

    [Fact]
    public async Task A_retried_item_is_not_answered_from_its_failed_try()
    {
        var manager = new ScriptedAgent(AgentRole.ProjectManager, async (context, n, ct) =>
        {
            await context.ChatClient.GetResponseAsync("Capture the requirements of the todo service.", cancellationToken: ct);
            return n == 1 ? AgentOutcome.Failed("the answer was unusable", retryable: true) : AgentOutcome.Completed("requirements", LifecycleTrigger.RequirementsClear);
        });
        await using var company = new TestCompany(b => b.AddAgent(manager));
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);

        var events = await company.WatchUntilAsync(project.Id, e => e is StageChanged);

        Assert.True(manager.Calls >= 2);
        var failed = events.OfType<WorkItemFailed>().Single();
        var charges = events.OfType<ModelCallCompleted>().Where(c => c.WorkItemId == failed.WorkItemId).ToList();
        Assert.Equal([ModelChargeKind.Completed, ModelChargeKind.Completed], charges.Select(c => c.Outcome)); // the retry asked the model again
    }
}
