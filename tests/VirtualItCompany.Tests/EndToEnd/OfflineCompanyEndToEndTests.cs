using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany.Agents;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.EndToEnd;

/// <summary>The whole company, as a user wires it, takes a brief through every stage with the offline model, real workspaces, real builds, tests and deployments.</summary>
public sealed class OfflineCompanyEndToEndTests : IAsyncLifetime
{
    private static readonly LifecycleStage[] ExpectedStages =
    [
        LifecycleStage.RequirementsAnalysis, LifecycleStage.ProjectPlanning, LifecycleStage.SetupDevelopment, LifecycleStage.FeatureDevelopment,
        LifecycleStage.CodeReview, LifecycleStage.Testing, LifecycleStage.StagingDeployment, LifecycleStage.ClientReview,
        LifecycleStage.ProductionDeployment, LifecycleStage.Monitoring, LifecycleStage.Completed,
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("vic-e2e-").FullName;
    private IHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.Configure<WorkspaceOptions>(o => o.RootDirectory = _root);
        builder.Services.Configure<AgentOptions>(o => o.MonitoringInterval = TimeSpan.FromMilliseconds(100));
        builder.Services.AddVirtualItCompany(o => o.Workers = 4)
            .AddOfflineModel()
            .AddWorker();
        _host = builder.Build();
        await _host.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_brief_goes_through_every_stage_to_a_delivered_tested_and_deployed_project()
    {
        var company = _host.Services.GetRequiredService<IDeliveryCompany>();
        var brief = new ProjectBrief
        {
            Title = "Recipe \"box\" for café owners",
            Description = "A small service where a café keeps its recipes.",
            AcceptanceCriteria = ["Lists the recipes", "Shows one recipe with its ingredients", "Answers a health check"],
            Budget = 2m,
            Client = "Café Ünal",
        };

        var project = await company.SubmitAsync(brief, Ct);
        var events = new List<ProjectEvent>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await foreach (var e in company.WatchAsync(project.Id, cancellationToken: timeout.Token))
        {
            events.Add(e);
            if (e is ClientInputRequested { Kind: ClientInputKind.Review })
            {
                await company.ApproveAsync(project.Id, "Looks right.", Ct);
            }
        }

        var done = await company.GetAsync(project.Id, Ct);
        Assert.Equal(ProjectStatus.Completed, done.Status);

        // The stages, in order; when a stage sent the project back, say why (the test run's output, the failures).
        var stages = events.OfType<StageChanged>().Select(s => s.To).Prepend(LifecycleStage.RequirementsAnalysis).ToList();
        Assert.True(
            ExpectedStages.SequenceEqual(stages),
            $"Stages: {string.Join(" > ", stages)}\n"
            + $"Test runs:\n{string.Join("\n---\n", events.OfType<TestsRun>().Select(t => $"exit {t.ExitCode}: {t.OutputTail}"))}\n"
            + $"Ended items:\n{string.Join("\n", events.OfType<WorkItemCompleted>().Select(w => $"{w.Stage}: {w.Summary}"))}\n"
            + $"Failures:\n{string.Join("\n", events.OfType<WorkItemFailed>().Select(f => $"{f.Stage}: {f.Reason}"))}");
        Assert.IsType<ProjectCompleted>(events[^1]);

        // Fan-out: one developer item per planned feature.
        var plan = Assert.Single(events.OfType<PlanCreated>());
        Assert.Equal(3, plan.Features.Count);
        Assert.Equal(plan.Features.Select(f => f.Name).Order(), events.OfType<WorkItemCompleted>().Where(w => w.Role == AgentRole.Developer).Select(w => events.OfType<WorkItemScheduled>().Single(s => s.Item.Id == w.WorkItemId).Item.Subject).Order());

        // The generated project's tests really ran as a process, and passed.
        var tests = Assert.Single(events.OfType<TestsRun>());
        Assert.Equal(0, tests.ExitCode);
        Assert.True(tests.Passed > 0);
        Assert.Equal(0, tests.Failed);
        Assert.Contains($"{tests.Passed} passed, 0 failed", tests.OutputTail, StringComparison.Ordinal);

        // Staging and production really started and answered their health checks.
        Assert.Equal(["production", "staging"], events.OfType<Deployed>().Select(d => d.Environment).Order());
        Assert.All(events.OfType<HealthChecked>(), h => Assert.True(h.Healthy));

        // Every model call's tokens and cost are accounted, in the events and the snapshot.
        var calls = events.OfType<ModelCallCompleted>().ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.Equal("offline-no-ai", c.ModelId));
        Assert.All(calls, c => Assert.True(c.InputTokens > 0 && c.OutputTokens > 0));
        Assert.Equal(calls.Count, done.ModelCalls);
        Assert.Equal(calls.Sum(c => c.InputTokens), done.InputTokens);
        Assert.Equal(calls.Sum(c => c.OutputTokens), done.OutputTokens);
        Assert.Equal(0m, done.Spent);
        Assert.All(events.OfType<WorkItemCompleted>(), w => Assert.Contains(calls, c => c.WorkItemId == w.WorkItemId || w.Stage == LifecycleStage.Monitoring));

        // The workspace is a git repository with a commit per work item that ended (completed, or asked the client).
        var workspace = await _host.Services.GetRequiredService<IWorkspaceProvider>().GetWorkspaceAsync(project.Id, Ct);
        var log = await workspace.RunAsync(new CommandRequest(["git", "rev-list", "--count", "HEAD"]), Ct);
        int ended = events.OfType<WorkItemCompleted>().Count() + events.OfType<ClientInputRequested>().Count();
        Assert.Equal(ended, int.Parse(log.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("Service/Program.cs", await workspace.ListFilesAsync(cancellationToken: Ct));

        // The artifact store holds the files the team wrote.
        var artifacts = await _host.Services.GetRequiredService<IArtifactStore>().ListAsync(project.Id, Ct).ToListAsync(Ct);
        Assert.Contains(artifacts, a => a.Path == "Service/Program.cs");
    }
}
