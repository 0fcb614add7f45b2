using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.DependencyInjection;

/// <summary>Stops the local workspaces' deployments when the host stops (after the workers, which stop first), not only when the container is disposed.</summary>
internal sealed class DeploymentsShutdown(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IWorkspaceProvider>() is LocalWorkspaceProvider local)
        {
            await local.DisposeAsync().ConfigureAwait(false);
        }
    }
}
