using Microsoft.Extensions.Hosting;
using VirtualItCompany.Runtime;

namespace VirtualItCompany.DependencyInjection;

/// <summary>Runs the <see cref="WorkDispatcher"/> for the life of the host.</summary>
internal sealed class CompanyWorkerService(WorkDispatcher dispatcher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => dispatcher.RunAsync(stoppingToken);
}
