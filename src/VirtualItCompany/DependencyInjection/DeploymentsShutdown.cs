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
        IWorkspaceProvider? provider;
        try
        {
            provider = services.GetService<IWorkspaceProvider>();
        }
        catch (ObjectDisposedException)
        {
            // The container was disposed before the host stopped (a test host torn down early): disposing it already
            // disposed the workspace provider, if one was created, and that stopped its deployments.
            return;
        }

        if (provider is LocalWorkspaceProvider local)
        {
            await local.DisposeAsync().ConfigureAwait(false);
        }
    }
}
