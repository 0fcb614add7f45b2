using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>
/// <see cref="CompanyOptions.ShutdownGracePeriod"/>: when the host stops, an item in progress may finish and commit within the
/// grace period; one still running after it is stopped and released (back on the queue, nothing committed).
/// </summary>
public sealed class ShutdownGraceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_item_in_progress_finishes_and_commits_within_the_grace_period()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = new ScriptedAgent(AgentRole.ProjectManager, async (ctx, n, ct) =>
        {
            started.TrySetResult();
            await finish.Task.WaitAsync(ct);
            return AgentOutcome.NeedsClientInput("Which database?");
        });
        using var host = Build(agent, TimeSpan.FromSeconds(30));
        await host.StartAsync(Ct);
        var company = host.Services.GetRequiredService<IDeliveryCompany>();
        var project = await company.SubmitAsync(TestCompany.Brief(), Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var stopping = host.StopAsync(Ct);
        await Task.Delay(300, Ct);
        Assert.False(stopping.IsCompleted, "The host stopped without waiting for the item in progress.");
        finish.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var store = host.Services.GetRequiredService<IProjectStore>();
        var events = await store.ReadEventsAsync(project.Id, cancellationToken: Ct).ToListAsync(Ct);
        // The agent's outcome (a question for the client) was committed, and its item left the queue.
        Assert.Single(events.OfType<ClientInputRequested>());
        Assert.Equal(0, await host.Services.GetRequiredService<IWorkQueue>().CountAsync(Ct));
        Assert.Equal(1, agent.Calls);
    }

    [Fact]
    public async Task An_item_still_running_after_the_grace_period_is_released_without_a_commit()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var agent = new ScriptedAgent(AgentRole.ProjectManager, async (ctx, n, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return AgentOutcome.Completed("never");
        });
        using var host = Build(agent, TimeSpan.FromMilliseconds(200));
        await host.StartAsync(Ct);
        var company = host.Services.GetRequiredService<IDeliveryCompany>();
        var project = await company.SubmitAsync(TestCompany.Brief(), Ct);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await host.StopAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var store = host.Services.GetRequiredService<IProjectStore>();
        var events = await store.ReadEventsAsync(project.Id, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Empty(events.OfType<WorkItemCompleted>());
        Assert.Empty(events.OfType<WorkItemFailed>());
        // Released, not lapsed: another worker may lease it at once, and it counts as a first try.
        var queue = host.Services.GetRequiredService<IWorkQueue>();
        var lease = await queue.TryLeaseAsync(new LeaseRequest("another worker", TimeSpan.FromMinutes(1)), Ct);
        Assert.NotNull(lease);
        Assert.Equal(project.Id, lease.Item.ProjectId);
        Assert.Equal(1, lease.Attempt);
    }

    private static IHost Build(IAgent agent, TimeSpan grace)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IChatClient>(new FakeChatClient("fake-model", ModelPricing.Free));
        builder.Services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        builder.Services.AddVirtualItCompany(o => o.ShutdownGracePeriod = grace).AddAgent(agent).AddWorker();
        return builder.Build();
    }
}
