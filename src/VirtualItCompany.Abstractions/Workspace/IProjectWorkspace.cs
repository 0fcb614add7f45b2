using Microsoft.Extensions.AI;

namespace VirtualItCompany;

/// <summary>A project's working directory: files, allow-listed commands, a local git repository and deployments.</summary>
/// <remarks>Every path is relative to <see cref="RootPath"/> and confined to it: <c>..</c>, absolute paths and links out are refused with <see cref="WorkspacePathException"/>.</remarks>
public interface IProjectWorkspace
{
    /// <summary>Gets the project the workspace belongs to.</summary>
    ProjectId ProjectId { get; }

    /// <summary>Gets the absolute path of the workspace directory.</summary>
    string RootPath { get; }

    /// <summary>Reads a text file.</summary>
    /// <param name="path">The path relative to the workspace.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The text.</returns>
    Task<string> ReadFileAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Writes a text file, creating folders as needed.</summary>
    /// <param name="path">The path relative to the workspace.</param>
    /// <param name="content">The text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default);

    /// <summary>Lists the files below a folder, skipping build output and the git folder.</summary>
    /// <param name="path">The folder relative to the workspace; empty for the root.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The files' relative paths, with '/' separators, sorted.</returns>
    Task<IReadOnlyList<string>> ListFilesAsync(string path = "", CancellationToken cancellationToken = default);

    /// <summary>Runs an allow-listed command in the workspace.</summary>
    /// <param name="request">The command as arguments (never a shell string), its timeout and output cap.</param>
    /// <param name="cancellationToken">Cancels the command; its whole process tree is killed.</param>
    /// <returns>The exit code and output.</returns>
    Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken = default);

    /// <summary>Commits changes in the workspace to its local git repository.</summary>
    /// <param name="message">The commit message.</param>
    /// <param name="paths">The files to commit: <see langword="null"/> for every change; an empty list records the commit even with no file changed (a log entry for work that wrote no file).</param>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <returns>The commit id, or <see langword="null"/> when <paramref name="paths"/> is <see langword="null"/> and nothing changed.</returns>
    /// <remarks>
    /// A message with a <c>Work-Item: &lt;id&gt;</c> trailer line (the runtime adds one to the commit of each completed work item)
    /// is committed once: when nothing is left to commit and a commit with that trailer exists, its id is returned and no
    /// commit is made, so a work item tried again after a crash does not commit its work twice.
    /// </remarks>
    Task<string?> CommitAsync(string message, IReadOnlyCollection<string>? paths = null, CancellationToken cancellationToken = default);

    /// <summary>Builds and starts the project as a local process on 127.0.0.1, replacing an earlier deployment of the same environment once the new one is healthy; when the new one fails, the earlier one keeps running (a rollback the error says).</summary>
    /// <param name="environment">The environment name, such as <c>staging</c>.</param>
    /// <param name="spec">How to build and start it.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The URL where the deployment answers.</returns>
    Task<Uri> DeployAsync(string environment, DeploymentSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Checks a deployment's health with an HTTP GET.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result of the check.</returns>
    Task<HealthChecked> CheckHealthAsync(string environment, CancellationToken cancellationToken = default);

    /// <summary>Stops a deployment, if it runs.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="cancellationToken">Cancels the wait for the process to end.</param>
    /// <returns>A task that completes when the process has ended.</returns>
    Task StopAsync(string environment, CancellationToken cancellationToken = default);

    /// <summary>Creates the workspace's file tools (list, read, write, search) as <see cref="AIFunction"/>s for a model.</summary>
    /// <param name="onFileWritten">Called with each path a tool wrote.</param>
    /// <returns>The tools.</returns>
    IList<AITool> CreateFileTools(Action<string>? onFileWritten = null);
}
