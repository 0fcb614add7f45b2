using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.EndToEnd;

/// <summary>Runs one brief through the whole default lifecycle with the built-in agents and in-memory workspaces, approving the client review.</summary>
internal static class LifecycleRun
{
    public static ProjectBrief Brief { get; } = new()
    {
        Title = "Recipe box",
        Description = "A small service where a café keeps its recipes.",
        AcceptanceCriteria = ["Lists the recipes", "Shows one recipe with its ingredients", "Answers a health check"],
        Budget = 2m,
        Client = "Café Ünal",
    };

    /// <summary>Delivers <see cref="Brief"/> and returns every event of the project, in order.</summary>
    public static async Task<List<ProjectEvent>> DeliverAsync(Action<IVirtualItCompanyBuilder> models, CancellationToken cancellationToken, int workers = 4, Func<ProjectEvent, bool>? until = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IWorkspaceProvider>(new InMemoryWorkspaceProvider());
        var builder = services.AddVirtualItCompany(o =>
        {
            o.Workers = workers;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        services.Configure<Agents.AgentOptions>(o => o.MonitoringInterval = TimeSpan.Zero);
        models(builder);
        await using var provider = services.BuildServiceProvider();
        var company = provider.GetRequiredService<IDeliveryCompany>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = provider.GetRequiredService<WorkDispatcher>().RunAsync(stop.Token);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            var project = await company.SubmitAsync(Brief, cancellationToken);
            var events = new List<ProjectEvent>();
            await foreach (var e in company.WatchAsync(project.Id, cancellationToken: timeout.Token))
            {
                events.Add(e);
                if (until?.Invoke(e) == true)
                {
                    break;
                }

                if (e is ClientInputRequested { Kind: ClientInputKind.Review })
                {
                    await company.ApproveAsync(project.Id, "Looks right.", cancellationToken);
                }
            }

            return events;
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
