using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany;

namespace WorkerHost;

/// <summary>
/// <c>WorkerHost:Commands = Simulated</c>: the real local workspaces (files, git), but the agents' commands, deployments and
/// health checks are answered at once without running anything. For demonstrations and tests of many workers sharing a
/// queue; the delivered code is never built or run, and the host says so when it starts.
/// </summary>
internal sealed class SimulatedCommands(IWorkspaceProvider inner) : IWorkspaceProvider
{
    public static void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IWorkspaceProvider));
        services.Remove(original);
        services.AddSingleton<IWorkspaceProvider>(sp => new SimulatedCommands((IWorkspaceProvider)(original.ImplementationFactory?.Invoke(sp)
            ?? original.ImplementationInstance
            ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
    }

    public async ValueTask<IProjectWorkspace> GetWorkspaceAsync(ProjectId projectId, CancellationToken cancellationToken = default) =>
        new Workspace(await inner.GetWorkspaceAsync(projectId, cancellationToken).ConfigureAwait(false));

    private sealed class Workspace(IProjectWorkspace inner) : IProjectWorkspace
    {
        private static readonly Uri Nowhere = new("http://127.0.0.1:9/");

        public ProjectId ProjectId => inner.ProjectId;

        public string RootPath => inner.RootPath;

        public Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default) => inner.ReadFileAsync(path, cancellationToken);

        public Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default) => inner.WriteFileAsync(path, content, cancellationToken);

        public Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default) => inner.ListFilesAsync(path, cancellationToken);

        public Task<string?> CommitAsync(string message, IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default) => inner.CommitAsync(message, paths, cancellationToken);

        public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new CommandResult(0, "simulated by the worker host (WorkerHost:Commands = Simulated): 3 passed, 0 failed\n", false, TimeSpan.Zero));

        public Task<Uri> DeployAsync(string environment, DeploymentSpec spec, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Uri(Nowhere, environment + "/"));

        public Task<HealthChecked> CheckHealthAsync(string environment, CancellationToken cancellationToken = default) =>
            Task.FromResult(new HealthChecked(environment, new Uri(Nowhere, environment + "/"), true, 200));

        public Task StopAsync(string environment, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public IList<Microsoft.Extensions.AI.AITool> CreateFileTools(Action<string>? onFileWritten = null) => inner.CreateFileTools(onFileWritten);
    }
}
