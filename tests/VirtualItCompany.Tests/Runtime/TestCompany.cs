using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Runtime;
using VirtualItCompany.Testing;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>A company wired with forward agents, a fake model and in-memory workspaces, its workers running until disposed.</summary>
internal sealed class TestCompany : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _workers;

    public TestCompany(Action<IVirtualItCompanyBuilder>? configure = null, Action<CompanyOptions>? options = null, bool startWorkers = true)
    {
        var services = new ServiceCollection();
        Model = new FakeChatClient("fake-model", new ModelPricing(1m, 2m));
        services.AddSingleton<IChatClient>(Model);
        services.AddSingleton<IWorkspaceProvider>(Workspaces);
        var builder = services.AddVirtualItCompany(o =>
        {
            o.Workers = 4;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            options?.Invoke(o);
        });
        foreach (var agent in ForwardAgent.ForAllRoles())
        {
            builder.AddAgent(agent);
        }

        configure?.Invoke(builder);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Company = Services.GetRequiredService<IDeliveryCompany>();
        Dispatcher = Services.GetRequiredService<WorkDispatcher>();
        _workers = startWorkers ? Dispatcher.RunAsync(_stop.Token) : Task.CompletedTask;
    }

    public ServiceProvider Services { get; }

    public IDeliveryCompany Company { get; }

    public WorkDispatcher Dispatcher { get; }

    public FakeChatClient Model { get; }

    public InMemoryWorkspaceProvider Workspaces { get; } = new();

    public static ProjectBrief Brief(string title = "Todo service") => new()
    {
        Title = title,
        Description = "A small service that keeps a todo list.",
        AcceptanceCriteria = ["lists todos", "adds a todo"],
        Budget = 5m,
        Client = "Acme",
    };

    /// <summary>Collects a project's events until <paramref name="until"/> matches one (or the project ends).</summary>
    public async Task<List<ProjectEvent>> WatchUntilAsync(ProjectId id, Func<ProjectEvent, bool> until, long afterVersion = 0)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<ProjectEvent>();
        try
        {
            await foreach (var e in Company.WatchAsync(id, afterVersion, timeout.Token))
            {
                seen.Add(e);
                if (until(e))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException("Gave up waiting; events seen: " + string.Join(" | ", seen.Select(e => $"{e.Version}:{e.Description}")), ex);
        }

        return seen;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _workers;
        await Services.DisposeAsync();
        _stop.Dispose();
    }
}
