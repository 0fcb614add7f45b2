using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.Workspace;

public sealed class WorkspaceDeploymentTests(HealthServerFixture server) : IClassFixture<HealthServerFixture>
{
    private static readonly DeploymentSpec HealthServer = new([], ["dotnet", "app/HealthServer.dll"], "/health");

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_deployment_starts_a_local_server_that_answers_its_health_check_until_stopped()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        server.CopyInto(workspace);

        var url = await workspace.DeployAsync("staging", HealthServer, Ct);

        Assert.Equal("127.0.0.1", url.Host);
        Assert.Equal("/", url.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(url, "health"), Ct)).StatusCode);
        var health = await workspace.CheckHealthAsync("staging", Ct);
        Assert.Equal(new HealthChecked("staging", new Uri(url, "/health"), Healthy: true, StatusCode: 200), health);

        await workspace.StopAsync("staging", Ct);

        Assert.False(await AnswersAsync(url));
    }

    [Fact]
    public async Task A_service_provider_disposed_synchronously_stops_the_deployments_and_does_not_throw()
    {
        string root = Path.Combine(Path.GetTempPath(), "vic-tests", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.Configure<WorkspaceOptions>(o => o.RootDirectory = root);
        services.AddVirtualItCompany();
        var provider = services.BuildServiceProvider();
        var workspace = await provider.GetRequiredService<IWorkspaceProvider>().GetWorkspaceAsync(new ProjectId("prj_dispose"), Ct);
        server.CopyInto(workspace);
        var url = await workspace.DeployAsync("staging", HealthServer, Ct);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(url, "health"), Ct)).StatusCode);

        provider.Dispose();

        await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetAsync(new Uri(url, "health"), Ct));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Checking_an_environment_that_was_never_deployed_fails_clearly()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => workspace.CheckHealthAsync("production", Ct));

        Assert.Contains("production", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploying_an_environment_again_replaces_the_earlier_deployment()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        server.CopyInto(workspace);

        var first = await workspace.DeployAsync("staging", HealthServer, Ct);
        var second = await workspace.DeployAsync("staging", HealthServer, Ct);

        Assert.NotEqual(first, second);
        Assert.False(await AnswersAsync(first));
        Assert.True(await AnswersAsync(second));
    }

    [Fact]
    public async Task Deploying_the_release_an_environment_already_runs_keeps_the_running_deployment()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        server.CopyInto(workspace);
        var release = HealthServer with { ReleaseId = "wi_release_1" };

        var first = await workspace.DeployAsync("staging", release, Ct);
        var again = await workspace.DeployAsync("staging", release, Ct);

        // A restart would have taken a new free port: the same URL, still answering, is the same process.
        Assert.Equal(first, again);
        Assert.True(await AnswersAsync(first));

        var next = await workspace.DeployAsync("staging", HealthServer with { ReleaseId = "wi_release_2" }, Ct);

        Assert.NotEqual(first, next);
        Assert.False(await AnswersAsync(first));
        Assert.True(await AnswersAsync(next));
    }

    [Fact]
    public async Task A_release_that_was_stopped_is_deployed_again()
    {
        await using var scratch = new ScratchWorkspaces();
        var workspace = await scratch.GetAsync();
        server.CopyInto(workspace);
        var release = HealthServer with { ReleaseId = "wi_release_1" };
        var first = await workspace.DeployAsync("staging", release, Ct);
        await workspace.StopAsync("staging", Ct);

        var again = await workspace.DeployAsync("staging", release, Ct);

        Assert.True(await AnswersAsync(again));
        Assert.False(first != again && await AnswersAsync(first));
    }

    [Fact]
    public async Task Disposing_the_provider_stops_every_deployment_of_every_workspace()
    {
        var scratch = new ScratchWorkspaces();
        await using var cleanUp = scratch;
        var first = await scratch.GetAsync("prj_one");
        var second = await scratch.GetAsync("prj_two");
        server.CopyInto(first);
        server.CopyInto(second);
        var urls = new[]
        {
            await first.DeployAsync("staging", HealthServer, Ct),
            await first.DeployAsync("production", HealthServer, Ct),
            await second.DeployAsync("staging", HealthServer, Ct),
        };
        foreach (var url in urls)
        {
            Assert.True(await AnswersAsync(url));
        }

        await scratch.Provider.DisposeAsync();

        foreach (var url in urls)
        {
            Assert.False(await AnswersAsync(url));
        }
    }

    [Fact]
    public async Task A_failing_build_fails_the_deployment_with_the_build_output()
    {
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();
        var spec = new DeploymentSpec(["sh", "-c", "echo 'Program.cs(3,1): error CS1002: ; expected'; exit 1"], ["dotnet", "app/HealthServer.dll"], "/health");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => workspace.DeployAsync("staging", spec, Ct));

        Assert.Contains("CS1002", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_exits_before_it_is_healthy_fails_the_deployment_with_its_output()
    {
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();
        var spec = new DeploymentSpec([], ["sh", "-c", "echo cannot bind to $PORT; exit 3"], "/health");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => workspace.DeployAsync("staging", spec, Ct));

        Assert.Contains("exited with code 3", ex.Message, StringComparison.Ordinal);
        Assert.Matches("cannot bind to [0-9]+", ex.Message);
    }

    [Fact]
    public async Task A_server_that_never_becomes_healthy_is_killed_when_the_start_time_out_passes()
    {
        await using var scratch = new ScratchWorkspaces(o => { ScratchWorkspaces.AllowShell(o); o.DeploymentStartTimeout = TimeSpan.FromSeconds(1); });
        var workspace = await scratch.GetAsync();
        var sleep = ProcessProbe.UniqueSleep();
        var spec = new DeploymentSpec([], ["sh", "-c", $"sleep {sleep} & echo still starting; wait"], "/health");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => workspace.DeployAsync("staging", spec, Ct));

        Assert.Contains("did not answer 200", ex.Message, StringComparison.Ordinal);
        Assert.Contains("still starting", ex.Message, StringComparison.Ordinal);
        Assert.True(await ProcessProbe.NoneWithArgumentWithinAsync(sleep, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_release_that_fails_its_health_check_is_rolled_back_and_the_previous_release_keeps_serving()
    {
        await using var scratch = new ScratchWorkspaces(o => { ScratchWorkspaces.AllowShell(o); o.DeploymentStartTimeout = TimeSpan.FromSeconds(2); });
        var workspace = await scratch.GetAsync();
        server.CopyInto(workspace);
        var first = await workspace.DeployAsync("production", HealthServer with { ReleaseId = "wi_good" }, Ct);

        // The new release starts but its health path never answers 200 (it serves nothing).
        var broken = new DeploymentSpec([], ["sh", "-c", "echo new release up; sleep 30"], "/health") { ReleaseId = "wi_broken" };
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => workspace.DeployAsync("production", broken, Ct));

        Assert.Contains("did not answer 200", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"Rolled back: the previous release wi_good keeps running at {first}", ex.Message, StringComparison.Ordinal);
        Assert.True(await AnswersAsync(first));
        var health = await workspace.CheckHealthAsync("production", Ct);
        Assert.True(health.Healthy);
        Assert.Equal(new Uri(first, "/health"), health.Url);

        // The next good release replaces it as usual.
        var next = await workspace.DeployAsync("production", HealthServer with { ReleaseId = "wi_fixed" }, Ct);
        Assert.NotEqual(first, next);
        Assert.False(await AnswersAsync(first));
        Assert.True(await AnswersAsync(next));
    }

    [Fact]
    public async Task A_release_whose_build_fails_leaves_the_running_release_serving()
    {
        await using var scratch = new ScratchWorkspaces(ScratchWorkspaces.AllowShell);
        var workspace = await scratch.GetAsync();
        server.CopyInto(workspace);
        var first = await workspace.DeployAsync("staging", HealthServer with { ReleaseId = "wi_1" }, Ct);

        var spec = HealthServer with { BuildCommand = ["sh", "-c", "echo 'error CS1002: ; expected'; exit 1"], ReleaseId = "wi_2" };
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => workspace.DeployAsync("staging", spec, Ct));

        Assert.Contains("CS1002", ex.Message, StringComparison.Ordinal);
        Assert.Contains("previous release wi_1 keeps running", ex.Message, StringComparison.Ordinal);
        Assert.True(await AnswersAsync(first));
    }

    private static async Task<bool> AnswersAsync(Uri url)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(url, "health"), Ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
