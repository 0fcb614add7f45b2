using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany.Agents;
using VirtualItCompany.Providers.Offline;
using VirtualItCompany.Testing;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.EndToEnd;

/// <summary>A whole delivery with a model that misbehaves as real models do either completes or stops with a clear reason in the events; it never crashes a worker or loops forever.</summary>
public sealed class DifficultModelDeliveryTests : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vic-difficult-").FullName;
    private IHost? _host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None);
            _host.Dispose();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(IDeliveryCompany Company, DifficultChatClient Model)> StartAsync(ModelMisbehavior misbehavior)
    {
        var model = new DifficultChatClient(OfflineModel.CreateChatClient(), misbehavior);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.Configure<WorkspaceOptions>(o => o.RootDirectory = Path.Combine(_root, "workspaces"));
        builder.Services.Configure<AgentOptions>(o => o.MonitoringInterval = TimeSpan.FromMilliseconds(100));
        builder.Services.AddVirtualItCompany(o =>
            {
                o.Workers = 4;
                o.MaxAttempts = 2;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            })
            .AddModel(OfflineModel.Profile with { Id = "difficult" }, _ => model)
            .AddWorker();
        _host = builder.Build();
        await _host.StartAsync(Ct);
        return (_host.Services.GetRequiredService<IDeliveryCompany>(), model);
    }

    private static ProjectBrief Brief => new()
    {
        Title = "Recipe box",
        Description = "A small service where a café keeps its recipes.",
        AcceptanceCriteria = ["Lists the recipes", "Answers a health check"],
        Budget = 2m,
        Client = "Café",
    };

    private static async Task<List<ProjectEvent>> RunAsync(IDeliveryCompany company, ProjectId id, Func<ProjectEvent, bool> until)
    {
        var events = new List<ProjectEvent>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await foreach (var e in company.WatchAsync(id, cancellationToken: timeout.Token))
        {
            events.Add(e);
            if (e is ClientInputRequested { Kind: ClientInputKind.Review })
            {
                await company.ApproveAsync(id, "Looks right.", Ct);
            }

            if (until(e))
            {
                break;
            }
        }

        return events;
    }

    [Fact]
    public async Task A_model_that_repeats_the_same_tool_call_forever_pauses_the_project_with_the_reason_in_its_events()
    {
        var (company, model) = await StartAsync(ModelMisbehavior.SameCallForever);

        var project = await company.SubmitAsync(Brief, Ct);
        var events = await RunAsync(company, project.Id, e => e is ProjectPaused);

        var paused = Assert.IsType<ProjectPaused>(events[^1]);
        var failures = events.OfType<WorkItemFailed>().ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Contains("called list_files 3 times with the same arguments", f.Reason, StringComparison.Ordinal));
        Assert.Equal(LifecycleStage.SetupDevelopment, failures[0].Stage);
        Assert.Contains("resume", paused.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.True(model.SpoiledAnswers >= 6);
    }

    [Fact]
    public async Task A_model_that_asks_for_a_dangerous_command_is_refused_in_the_sandbox_and_the_project_stops_with_the_reason()
    {
        string canary = Path.Combine(_root, "canary.txt");
        await File.WriteAllTextAsync(canary, "untouched", Ct);
        var (company, _) = await StartAsync(ModelMisbehavior.DangerousCommand);

        var project = await company.SubmitAsync(Brief, Ct);
        var events = await RunAsync(company, project.Id, e => e is ProjectPaused);

        Assert.IsType<ProjectPaused>(events[^1]);
        var failure = events.OfType<WorkItemFailed>().Last();
        Assert.Equal(LifecycleStage.FeatureDevelopment, failure.Stage);
        Assert.True(failure.Reason.Contains("run_command failed", StringComparison.Ordinal), failure.Reason);
        Assert.Contains("rm", failure.Reason, StringComparison.Ordinal);
        Assert.Equal("untouched", await File.ReadAllTextAsync(canary, Ct));
    }

    [Fact]
    public async Task A_model_that_fences_every_json_answer_still_delivers_the_project()
    {
        var (company, model) = await StartAsync(ModelMisbehavior.FencedJson);

        var project = await company.SubmitAsync(Brief, Ct);
        var events = await RunAsync(company, project.Id, e => e is ProjectCompleted or ProjectPaused);

        Assert.IsType<ProjectCompleted>(events[^1]);
        Assert.True(model.SpoiledAnswers > 5);
    }
}
