namespace VirtualItCompany;

/// <summary>One-call delivery: submit a brief and play the client until the project ends.</summary>
public static class DeliveryCompanyExtensions
{
    /// <summary>
    /// Submits a brief and handles the whole conversation with the team through <paramref name="client"/>: questions are
    /// answered, reviews decided, budget added when asked, until the project completes, is cancelled, is paused for a
    /// human (a failure past its retries, a spent company budget) or waits for budget the handlers did not add.
    /// </summary>
    /// <param name="company">The company.</param>
    /// <param name="brief">The brief.</param>
    /// <param name="client">The handlers; <see langword="null"/> for the defaults (answer "use your best judgement", approve, add no budget).</param>
    /// <param name="cancellationToken">Stops waiting (the project is left as it is).</param>
    /// <returns>The project as it ended or was left.</returns>
    /// <exception cref="InvalidBriefException">The brief is not valid.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled, or the company stopped.</exception>
    public static async Task<ProjectSnapshot> DeliverAsync(this IDeliveryCompany company, ProjectBrief brief, ClientHandlers? client = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(brief);
        var project = await company.SubmitAsync(brief, cancellationToken).ConfigureAwait(false);
        return await company.ContinueAsync(project.Id, client, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Plays the client of a project already submitted (one resumed after a restart, or submitted elsewhere) until it ends,
    /// as <see cref="DeliverAsync"/> does: its events from the first are passed to <see cref="ClientHandlers.OnEvent"/>, and
    /// the input it waits for now or later is given by the handlers.
    /// </summary>
    /// <param name="company">The company.</param>
    /// <param name="projectId">The project.</param>
    /// <param name="client">How to answer, decide reviews and add budget; <see langword="null"/> for the defaults of <see cref="ClientHandlers"/>.</param>
    /// <param name="cancellationToken">Stops playing the client (the project stays as it is); the host stopping ends it too.</param>
    /// <returns>The project when it ended, paused or waits for budget the handlers did not add.</returns>
    /// <exception cref="ProjectNotFoundException">No project has that id.</exception>
    public static async Task<ProjectSnapshot> ContinueAsync(this IDeliveryCompany company, ProjectId projectId, ClientHandlers? client = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(company);
        client ??= new ClientHandlers();
        var project = await company.GetAsync(projectId, cancellationToken).ConfigureAwait(false);
        await foreach (var e in company.WatchAsync(project.Id, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            client.OnEvent?.Invoke(e);
            // A human must decide: the caller gets the paused project (a pause in the history that was since resumed does not count).
            if (e is ProjectPaused && (await company.GetAsync(project.Id, cancellationToken).ConfigureAwait(false)).Status == ProjectStatus.Paused)
            {
                break;
            }

            if (e is not ClientInputRequested request)
            {
                continue;
            }

            // The request may already be answered (by someone else) or stale: act only while the project still waits for it.
            var current = await company.GetAsync(project.Id, cancellationToken).ConfigureAwait(false);
            if (current.Status != ProjectStatus.WaitingForClient || current.PendingInput?.Version != request.Version)
            {
                continue;
            }

            switch (request.Kind)
            {
                case ClientInputKind.Review:
                    var decision = client.Review is null ? ReviewDecision.Approve() : await client.Review(request, cancellationToken).ConfigureAwait(false);
                    if (decision.Approved)
                    {
                        await company.ApproveAsync(project.Id, decision.Text, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await company.RequestChangesAsync(project.Id, decision.Text!, cancellationToken).ConfigureAwait(false);
                    }

                    break;

                case ClientInputKind.Budget:
                    decimal amount = client.AddBudget is null ? 0m : await client.AddBudget(request, cancellationToken).ConfigureAwait(false);
                    if (amount <= 0m)
                    {
                        return current; // no more money: the project waits for it
                    }

                    await company.AddBudgetAsync(project.Id, amount, cancellationToken).ConfigureAwait(false);
                    break;

                default:
                    string answer = client.Answer is null ? ClientHandlers.DefaultAnswer : await client.Answer(request, cancellationToken).ConfigureAwait(false);
                    await company.AnswerAsync(project.Id, answer, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        return await company.GetAsync(project.Id, cancellationToken).ConfigureAwait(false);
    }
}
