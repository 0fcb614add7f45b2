using System.Net;
using System.Net.Http.Json;
using VirtualItCompany.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany.AspNetCore.Tests;

/// <summary>The admin views with the workers running: the agents' model calls (offline model) show in the cost report as the events record them.</summary>
public sealed class AdminTests : IAsyncLifetime
{
    private readonly WebHostFactory _host = new(settings: new Dictionary<string, string?> { ["WebHost:RunWorkers"] = "true" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task The_cost_report_sums_the_model_calls_of_the_events_by_project_model_role_and_day()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var admin = _host.ClientFor("root", "admin");
        var project = await WebHostFactory.SubmitAsync(alice);
        var store = _host.Services.GetRequiredService<IProjectStore>();

        // The project manager's first model call is enough; then the project is cancelled so that nothing else runs.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (!await store.ReadEventsAsync(new ProjectId(project.Id), 0, timeout.Token).OfType<ModelCallCompleted>().AnyAsync(timeout.Token))
        {
            await Task.Delay(100, timeout.Token);
        }

        (await alice.PostAsync($"/api/projects/{project.Id}/cancel", null, ct)).EnsureSuccessStatusCode();
        // A call under way when the project was cancelled is still committed (what it cost is kept): wait until no worker is busy.
        while ((await admin.GetFromJsonAsync<WorkersView>("/api/admin/workers", timeout.Token))!.Process!.Busy > 0)
        {
            await Task.Delay(100, timeout.Token);
        }

        var calls = await store.ReadEventsAsync(new ProjectId(project.Id), 0, ct).OfType<ModelCallCompleted>().ToListAsync(ct);
        var report = await admin.GetFromJsonAsync<CostReport>("/api/admin/costs", ct);
        var queue = await admin.GetFromJsonAsync<QueueView>("/api/admin/queue", ct);

        Assert.Equal(calls.Count, report!.Total.Calls);
        Assert.Equal(calls.Sum(c => c.InputTokens), report.Total.InputTokens);
        Assert.Equal(calls.Sum(c => c.Cost), report.Total.Cost);
        Assert.Equal(project.Id, Assert.Single(report.ByProject).Key);
        Assert.Equal(calls.Select(c => c.Provider + "/" + c.ModelId).Distinct(), report.ByModel.Select(l => l.Key));
        Assert.Contains(report.ByRole, l => l.Key == "ProjectManager" && l.Calls >= 1);
        Assert.Equal(calls[0].Timestamp.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Assert.Single(report.ByDay).Key);
        Assert.Equal(1, queue!.ProjectsByStatus["Cancelled"]);

        // The same calls, as the router decided them.
        var routing = await admin.GetFromJsonAsync<RoutingReport>("/api/admin/routing?limit=1", ct);
        var newest = calls.MaxBy(c => c.Version)!;
        var decision = Assert.Single(routing!.Recent);
        Assert.Equal((project.Id, newest.ModelId, newest.Cost), (decision.ProjectId, decision.ModelId, decision.Cost));
        Assert.Equal(newest.Routing?.Complexity, decision.Complexity);
        Assert.Equal(newest.Routing?.Reason, decision.Reason);
        Assert.Equal(calls.Count, routing.Mix.Sum(m => m.Calls));
        Assert.Equal(calls.Sum(c => c.Cost), routing.Mix.Sum(m => m.Cost));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/routing?limit=0", ct)).StatusCode);

        // This host runs workers: they are up, and they finished the items that ran.
        var workers = await admin.GetFromJsonAsync<WorkersView>("/api/admin/workers", ct);
        Assert.Equal("healthy", workers!.Status);
        Assert.True(workers.Process!.Running);
        Assert.True(workers.Process.Workers > 0);
        Assert.True(workers.Process.ItemsFinished >= 1);
        Assert.NotNull(workers.Process.LastLeasedAt);
    }

    [Fact]
    public async Task Without_workers_the_workers_view_says_stopped()
    {
        await using var apiOnly = new WebHostFactory(settings: new Dictionary<string, string?> { ["WebHost:RunWorkers"] = "false" });
        var workers = await apiOnly.ClientFor("root", "admin").GetFromJsonAsync<WorkersView>("/api/admin/workers", TestContext.Current.CancellationToken);

        Assert.Equal("stopped", workers!.Status);
        Assert.False(workers.Process!.Running);
        Assert.Equal(0, workers.Process.Busy);
    }
}
