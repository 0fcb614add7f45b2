namespace VirtualItCompany;

/// <summary>The agent team as a client sees it: submit a brief, watch the project, answer, approve, pause, resume, cancel.</summary>
public interface IDeliveryCompany
{
    /// <summary>Validates a brief, creates the project and schedules its first work item.</summary>
    /// <param name="brief">The brief.</param>
    /// <param name="cancellationToken">Cancels the call; then no project is created.</param>
    /// <returns>The new project.</returns>
    /// <exception cref="InvalidBriefException">The brief is not valid; every problem is listed.</exception>
    Task<ProjectSnapshot> SubmitAsync(ProjectBrief brief, CancellationToken cancellationToken = default);

    /// <summary>Gets a project.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Its current snapshot.</returns>
    /// <exception cref="ProjectNotFoundException">There is no such project.</exception>
    Task<ProjectSnapshot> GetAsync(ProjectId projectId, CancellationToken cancellationToken = default);

    /// <summary>Lists the projects, newest first.</summary>
    /// <param name="status">Only projects with this status; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The projects.</returns>
    IAsyncEnumerable<ProjectSnapshot> ListAsync(ProjectStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>Streams a project's events: first those after <paramref name="afterVersion"/>, then live ones. The stream completes after the event that ends the project (completed or cancelled), and ends with <see cref="OperationCanceledException"/> when the token is cancelled or the company stops (its host shuts down, or it is disposed).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="afterVersion">Replay only events after this version; 0 for the whole history.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The events, in version order, none missed and none repeated.</returns>
    /// <exception cref="ProjectNotFoundException">There is no such project.</exception>
    IAsyncEnumerable<ProjectEvent> WatchAsync(ProjectId projectId, long afterVersion = 0, CancellationToken cancellationToken = default);

    /// <summary>Answers the team's question (the project must wait for a clarification).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="answer">The answer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The project after the answer.</returns>
    /// <exception cref="InvalidProjectOperationException">The project does not wait for an answer.</exception>
    Task<ProjectSnapshot> AnswerAsync(ProjectId projectId, string answer, CancellationToken cancellationToken = default);

    /// <summary>Approves what the client was asked to review (the project must be in client review and waiting).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="comment">An optional comment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The project after the approval.</returns>
    /// <exception cref="InvalidProjectOperationException">The project does not wait for a review.</exception>
    Task<ProjectSnapshot> ApproveAsync(ProjectId projectId, string? comment = null, CancellationToken cancellationToken = default);

    /// <summary>Asks for changes to what the client was asked to review; the team goes back to development.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="changes">What to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The project after the request.</returns>
    /// <exception cref="InvalidProjectOperationException">The project does not wait for a review.</exception>
    Task<ProjectSnapshot> RequestChangesAsync(ProjectId projectId, string changes, CancellationToken cancellationToken = default);

    /// <summary>Adds budget to a project; a project waiting for budget goes on with the work it set aside.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="amount">What to add, in US dollars; more than zero.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The project after the increase.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero or less.</exception>
    /// <exception cref="InvalidProjectOperationException">The project has ended.</exception>
    Task<ProjectSnapshot> AddBudgetAsync(ProjectId projectId, decimal amount, CancellationToken cancellationToken = default);

    /// <summary>Pauses a project: work in progress finishes, nothing new starts.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The paused project.</returns>
    /// <exception cref="InvalidProjectOperationException">The project has ended or is already paused.</exception>
    Task<ProjectSnapshot> PauseAsync(ProjectId projectId, string reason = "paused by the client", CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused project, scheduling the work set aside.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The resumed project.</returns>
    /// <exception cref="InvalidProjectOperationException">The project is not paused.</exception>
    Task<ProjectSnapshot> ResumeAsync(ProjectId projectId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a project; its remaining work is dropped.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cancelled project.</returns>
    /// <exception cref="InvalidProjectOperationException">The project has already ended.</exception>
    Task<ProjectSnapshot> CancelAsync(ProjectId projectId, string reason = "cancelled by the client", CancellationToken cancellationToken = default);
}
