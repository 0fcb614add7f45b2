using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtualItCompany;

namespace WorkerHost;

/// <summary>
/// <c>WorkerHost:PlayClient = true</c>: plays every project's client for a demonstration. It looks for projects waiting for
/// their client (the store, not this process's live feed: the project may be worked by another process), answers a question
/// with the default answer and approves a review; it never adds budget or answers an escalation (a human decides those). Several hosts may play at once: the first answer
/// wins and the others' are refused (the project no longer waits), which is ignored.
/// </summary>
internal sealed class ClientPlayer(IDeliveryCompany company, IOptions<WorkerHostOptions> options, TimeProvider time, ILogger<ClientPlayer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var project in company.ListAsync(ProjectStatus.WaitingForClient, stoppingToken).ConfigureAwait(false))
                {
                    await AnswerAsync(project, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                logger.LogWarning(e, "Could not read the projects waiting for their client; trying again.");
            }

            await Task.Delay(options.Value.ClientPollInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(ProjectSnapshot project, CancellationToken cancellationToken)
    {
        if (project.PendingInput is not { } request)
        {
            return;
        }

        try
        {
            switch (request.Kind)
            {
                case ClientInputKind.Review:
                    await company.ApproveAsync(project.Id, "approved by the worker host's client player", cancellationToken).ConfigureAwait(false);
                    logger.LogInformation("Client player: approved {Project} ({Title}).", project.Id, project.Brief.Title);
                    break;
                case ClientInputKind.Clarification:
                    await company.AnswerAsync(project.Id, ClientHandlers.DefaultAnswer, cancellationToken).ConfigureAwait(false);
                    logger.LogInformation("Client player: answered {Project} ({Title}).", project.Id, project.Brief.Title);
                    break;
                default:
                    // More budget, or a problem the team escalated: a human decides (the web API, or the quickstart with --resume).
                    break;
            }
        }
        catch (Exception e) when (e is ConcurrencyException or InvalidOperationException)
        {
            // Another host (or the client) answered first: the project no longer waits for this.
            logger.LogDebug(e, "Client player: {Project} was answered elsewhere.", project.Id);
        }
    }
}
