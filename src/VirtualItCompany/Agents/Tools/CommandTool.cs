using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Agents.Tools;

/// <summary>The run_command tool: runs an allow-listed program in the workspace (sandboxed, as every workspace command), a bounded number of times.</summary>
internal static class CommandTool
{
    /// <summary>The tool's name.</summary>
    public const string Name = "run_command";

    private const int MaxOutputChars = 8_000;

    /// <summary>Creates the tool.</summary>
    /// <param name="workspace">Where commands run.</param>
    /// <param name="maxRuns">The most runs; later calls are answered that no run is left.</param>
    /// <param name="timeout">How long one run may take.</param>
    /// <param name="onRun">Called with each run's arguments and result.</param>
    public static AIFunction Create(IProjectWorkspace workspace, int maxRuns, TimeSpan timeout, Action<IReadOnlyList<string>, CommandResult>? onRun = null)
    {
        int runs = 0;
        return AIFunctionFactory.Create(
            async ([Description("The program and its arguments, one array element each, such as [\"dotnet\", \"build\"]; no shell syntax. Only allow-listed programs run.")] string[] arguments, CancellationToken cancellationToken) =>
            {
                if (arguments is null || arguments.Length == 0 || arguments.Any(string.IsNullOrWhiteSpace))
                {
                    throw new ArgumentException("Give the program and its arguments as a non-empty array of non-empty strings.", nameof(arguments));
                }

                // A refused command (not allow-listed, outside the workspace) did not run, so it uses no run; the refusal is a failed call.
                if (Volatile.Read(ref runs) >= maxRuns)
                {
                    return $"Not run: all {maxRuns} command runs of this task are used. Hand over now with a summary that says what passes and what does not.";
                }

                var result = await workspace.RunAsync(new CommandRequest(arguments) { Timeout = timeout, MaxOutputChars = MaxOutputChars }, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref runs);
                onRun?.Invoke(arguments, result);
                string status = result.TimedOut ? $"killed after {timeout} (time limit)" : $"exit code {result.ExitCode}";
                return $"{string.Join(' ', arguments)}: {status}\n{result.Output}";
            },
            new AIFunctionFactoryOptions
            {
                Name = Name,
                Description = $"Runs a program (such as dotnet build or dotnet test) in the repository root and returns its exit code and output (the end, at most {MaxOutputChars} characters). Runs are limited to {maxRuns} per task.",
                SerializerOptions = AgentJsonContext.ModelOptions,
            });
    }
}
