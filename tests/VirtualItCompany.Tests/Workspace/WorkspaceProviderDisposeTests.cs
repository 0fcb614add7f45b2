using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.Workspace;

public sealed class WorkspaceProviderDisposeTests(HealthServerFixture server) : IClassFixture<HealthServerFixture>
{
    private static readonly DeploymentSpec HealthServer = new([], ["dotnet", "app/HealthServer.dll"], "/health");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(url, "health"), Ct)).StatusCode);

        provider.Dispose();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(url, "health"), Ct));
        Directory.Delete(root, recursive: true);
    }
}
