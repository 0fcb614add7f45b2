using Microsoft.Extensions.Logging;

namespace VirtualItCompany.Workspace;

/// <summary>The workspace's log messages.</summary>
internal static partial class WorkspaceLog
{
    [LoggerMessage(1, LogLevel.Debug, "Running {Program} in workspace {ProjectId}")]
    public static partial void Running(ILogger logger, string program, ProjectId projectId);

    [LoggerMessage(2, LogLevel.Information, "Committed {Sha} in workspace {ProjectId}")]
    public static partial void Committed(ILogger logger, string sha, ProjectId projectId);

    [LoggerMessage(3, LogLevel.Information, "Deployed {Environment} of {ProjectId} at {Url}")]
    public static partial void Deployed(ILogger logger, string environment, ProjectId projectId, Uri url);

    [LoggerMessage(4, LogLevel.Information, "Stopped {Environment} of {ProjectId}")]
    public static partial void Stopped(ILogger logger, string environment, ProjectId projectId);

    [LoggerMessage(5, LogLevel.Warning, "Deployment of {Environment} for {ProjectId} failed: {Reason}")]
    public static partial void DeploymentFailed(ILogger logger, string environment, ProjectId projectId, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Removed {Lock} in workspace {ProjectId}: a git lock left by a process that stopped before this one started")]
    public static partial void RemovedStaleLock(ILogger logger, string @lock, ProjectId projectId);

    [LoggerMessage(7, LogLevel.Information, "{Environment} of {ProjectId} already runs release {ReleaseId} at {Url}; not deployed again")]
    public static partial void AlreadyDeployed(ILogger logger, string environment, ProjectId projectId, string releaseId, Uri url);

    [LoggerMessage(8, LogLevel.Warning, "Could not unstage the index of workspace {ProjectId} after a refused commit: {Reason}")]
    public static partial void UnstageFailed(ILogger logger, ProjectId projectId, string reason);

    [LoggerMessage(9, LogLevel.Warning, "Removed {File} in workspace {ProjectId}: a half-written file left by a process that stopped before this one started")]
    public static partial void RemovedStaleWrite(ILogger logger, string file, ProjectId projectId);

    [LoggerMessage(10, LogLevel.Warning, "The new release of {Environment} for {ProjectId} failed; rolled back: the previous release {ReleaseId} keeps running at {Url}")]
    public static partial void RolledBack(ILogger logger, string environment, ProjectId projectId, string releaseId, Uri url);

    [LoggerMessage(11, LogLevel.Warning, "Removed the repository of workspace {ProjectId}: a git init that a stopped process left unfinished (no objects, nothing committed); it is made again")]
    public static partial void RemovedAbandonedInit(ILogger logger, ProjectId projectId);
}
