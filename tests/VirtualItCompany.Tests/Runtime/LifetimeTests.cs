using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>Nothing the company starts outlives it: watchers end when the host stops or the company is disposed.</summary>
public sealed class LifetimeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_watcher_ends_with_cancellation_when_the_host_stops()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IChatClient>(new FakeChatClient("fake-model", ModelPricing.Free));
        builder.Services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        var waiting = new ScriptedAgent(AgentRole.ProjectManager, (ctx, n) => AgentOutcome.NeedsClientInput("Which database?"));
        builder.Services.AddVirtualItCompany().AddAgent(waiting).AddWorker();
        using var host = builder.Build();
        await host.StartAsync(Ct);
        var company = host.Services.GetRequiredService<IDeliveryCompany>();
        var project = await company.SubmitAsync(TestCompany.Brief(), Ct);

        var watching = Task.Run(async () =>
        {
            await foreach (var e in company.WatchAsync(project.Id, cancellationToken: Ct))
            {
            }
        }, Ct);
        await Task.Delay(200, Ct);
        Assert.False(watching.IsCompleted);
        await host.StopAsync(Ct);

        var ended = await Task.WhenAny(watching, Task.Delay(TimeSpan.FromSeconds(10), Ct));
        Assert.Same(watching, ended);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);
    }

    [Fact]
    public async Task A_watcher_ends_with_cancellation_when_the_company_is_disposed()
    {
        var company = new TestCompany(startWorkers: false);
        var project = await company.Company.SubmitAsync(TestCompany.Brief(), Ct);
        var facade = company.Company;
        var watching = Task.Run(async () =>
        {
            await foreach (var e in facade.WatchAsync(project.Id, cancellationToken: Ct))
            {
            }
        }, Ct);
        await Task.Delay(100, Ct);

        await company.DisposeAsync();

        var ended = await Task.WhenAny(watching, Task.Delay(TimeSpan.FromSeconds(10), Ct));
        Assert.Same(watching, ended);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);
    }
}
