namespace VirtualItCompany;

/// <summary>A path would leave the workspace (<c>..</c>, an absolute path, or a link out), or a command is not allowed.</summary>
public sealed class WorkspacePathException : UnauthorizedAccessException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was refused.</param>
    public WorkspacePathException(string message)
        : base(message)
    {
    }
}
