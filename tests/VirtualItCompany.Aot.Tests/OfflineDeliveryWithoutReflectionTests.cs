using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany.Agents;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Aot.Tests;

/// <summary>With reflection-based JSON turned off (as in file-based apps, trimming and native AOT), a whole offline delivery runs and every event and the snapshot serialize.</summary>
public sealed class OfflineDeliveryWithoutReflectionTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("vic-aot-").FullName;
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
    public void Reflection_based_json_is_off_in_this_test_project()
    {
        Assert.False(JsonSerializer.IsReflectionEnabledByDefault);
    }

    [Fact]
    public async Task A_delivery_completes_and_every_event_and_the_snapshot_round_trip_through_json()
    {
        var company = _host.Services.GetRequiredService<IDeliveryCompany>();
        var brief = new ProjectBrief
        {
            Title = "Recipe box",
            Description = "A small service where a café keeps its recipes.",
            AcceptanceCriteria = ["Lists the recipes", "Answers a health check"],
            Budget = 2m,
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
        Assert.True(done.Status == ProjectStatus.Completed, $"The project ended {done.Status}: {string.Join(" | ", events.Select(e => e.Description))}");
        Assert.Contains(events, e => e is RequirementsCaptured);
        Assert.Contains(events, e => e is ModelCallCompleted);

        foreach (var original in events)
        {
            string json = ProjectEventSerializer.Serialize(original);
            var back = ProjectEventSerializer.Deserialize(json);

            Assert.IsType(original.GetType(), back);
            Assert.Equal(original.Version, back.Version);
            Assert.Equal(json, ProjectEventSerializer.Serialize(back));
        }

        var snapshotInfo = (JsonTypeInfo<ProjectSnapshot>)ProjectEventSerializer.Options.GetTypeInfo(typeof(ProjectSnapshot));
        string snapshotJson = JsonSerializer.Serialize(done, snapshotInfo);
        var snapshotBack = JsonSerializer.Deserialize(snapshotJson, snapshotInfo);
        Assert.NotNull(snapshotBack);
        Assert.Equal(snapshotJson, JsonSerializer.Serialize(snapshotBack, snapshotInfo));
        Assert.Equal(done.Version, snapshotBack.Version);
        Assert.Equal(done.StageRounds.Count, snapshotBack.StageRounds.Count);
    }
}
