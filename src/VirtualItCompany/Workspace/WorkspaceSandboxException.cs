namespace VirtualItCompany.Workspace;

/// <summary>Thrown when a command cannot run because the OS sandbox is not available and <see cref="WorkspaceOptions.AllowUnsandboxedCommands"/> is off.</summary>
public sealed class WorkspaceSandboxException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the sandbox is not available and what to do.</param>
    public WorkspaceSandboxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public WorkspaceSandboxException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the sandbox is not available and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public WorkspaceSandboxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
