namespace VirtualItCompany;

/// <summary>A command to run in a workspace: a program and its arguments, never a shell string.</summary>
/// <param name="Arguments">The program followed by its arguments; the program must be on the workspace's allow-list.</param>
public sealed record CommandRequest(IReadOnlyList<string> Arguments)
{
    /// <summary>Gets the folder to run in, relative to the workspace; empty for the root.</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>Gets how long the command may run before its process tree is killed.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the most characters of output kept (the end is kept).</summary>
    /// <value>The default value is 64 KiB.</value>
    public int MaxOutputChars { get; init; } = 64 * 1024;
}
