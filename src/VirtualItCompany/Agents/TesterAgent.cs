using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Agents;

/// <summary>The tester: writes the tests, then really runs them in the workspace and reports what passed.</summary>
public sealed partial class TesterAgent : BuiltInAgent
{
    private const int OutputTailChars = 4_000;

    /// <summary>The exit code of a process killed with SIGKILL (128 + 9), as the shell and the sandbox report it.</summary>
    private const int KilledExitCode = 137;

    /// <summary>Creates the agent.</summary>
    /// <param name="options">The agents' options: the test run's time limit.</param>
    public TesterAgent(IOptions<AgentOptions> options)
        : base(options, AgentRole.Tester, LifecycleStage.Testing)
    {
    }

    /// <inheritdoc />
    protected override async Task<AgentOutcome> ExecuteStageAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var project = context.Project;
        var files = await context.Workspace.ListFilesAsync("", cancellationToken).ConfigureAwait(false);
        string writePrompt = new PromptDocument(TesterPrompts.WriteTask)
            .Brief(project.Brief)
            .List("Acceptance criteria", project.AcceptanceCriteria)
            .Features(project.Features)
            .List("Existing files", files)
            .ToString();
        // Tests written in an earlier round may still be right, so writing none is not a failure.
        var (_, writing) = await ModelCalls.WorkWithFilesAsync(
            context, Options, Options.SystemPrompt(AgentPromptKeys.TesterWriteTests, TesterPrompts.WriteSystem), writePrompt, complexity: 5, requireFiles: false, moreTools: null, cancellationToken).ConfigureAwait(false);
        if (writing.Failure is { } failure)
        {
            return AgentStages.InvalidAnswer("The tests were not written", failure);
        }


        files = await context.Workspace.ListFilesAsync("", cancellationToken).ConfigureAwait(false);
        string commandPrompt = new PromptDocument(TesterPrompts.CommandTask)
            .Section("Brief title", PromptDocument.OneLine(project.Brief.Title))
            .List("Files", files)
            .ToString();
        var answer = await ModelCalls.AskAsync<TestCommand>(context, Options.SystemPrompt(AgentPromptKeys.TesterTestCommand, TesterPrompts.CommandSystem), commandPrompt, complexity: 3, Options.StructuredAnswerRepairs, cancellationToken).ConfigureAwait(false);
        if (answer.Value is not { } command)
        {
            return AgentStages.InvalidAnswer("The test command could not be read", answer.Problem!);
        }

        var arguments = (command.Arguments ?? []).ToList();
        if (arguments.Count == 0 || arguments.Any(string.IsNullOrWhiteSpace))
        {
            return AgentStages.InvalidAnswer("The test command is not usable", "it is empty or has an empty argument");
        }

        CommandResult result;
        try
        {
            result = await context.Workspace.RunAsync(new CommandRequest(arguments) { Timeout = Options.TestTimeout }, cancellationToken).ConfigureAwait(false);
        }
        catch (WorkspacePathException ex)
        {
            return AgentOutcome.Failed($"The test command \"{string.Join(' ', arguments)}\" was refused: {ex.Message}", retryable: true);
        }

        var (passed, failed) = CountResults(result.Output);
        if (result.ExitCode == KilledExitCode && passed == 0 && failed == 0 && !OperatingSystem.IsWindows())
        {
            // SIGKILL before any result: the machine ended the run (out of memory, an operator, a limit), which says nothing
            // about the code. Sending it back to the developers would be a false failure; the run is tried again instead, and
            // a project whose runs keep being killed is paused for a human with this reason.
            return AgentOutcome.Failed($"The test command \"{string.Join(' ', arguments)}\" was killed (SIGKILL, exit code {KilledExitCode}) before it reported any result.", retryable: true);
        }

        string tail = Tail(result.Output, OutputTailChars);
        var run = new TestsRun(arguments, result.ExitCode, passed, failed, tail);
        return result.Succeeded
            ? AgentOutcome.Completed($"The tests passed ({passed} passed, {failed} failed).", LifecycleTrigger.TestsPassed, [run])
            : AgentOutcome.Completed(
                result.TimedOut
                    ? $"The tests did not finish within {Options.TestTimeout}."
                    : $"The tests failed with exit code {result.ExitCode} ({passed} passed, {failed} failed).",
                LifecycleTrigger.TestsFailed,
                [run]);
    }

    /// <summary>The last <paramref name="max"/> characters of <paramref name="output"/> at most, never starting inside a surrogate pair (half a pair would not survive being stored as JSON).</summary>
    internal static string Tail(string output, int max)
    {
        if (output.Length <= max)
        {
            return output;
        }

        int start = output.Length - max;
        return output[(char.IsLowSurrogate(output[start]) ? start + 1 : start)..];
    }

    /// <summary>Reads the last "N passed, N failed" line of a test run's output; 0 and 0 when there is none.</summary>
    internal static (int Passed, int Failed) CountResults(string output)
    {
        var matches = PassedFailed().Matches(output);
        if (matches.Count == 0)
        {
            return (0, 0);
        }

        var last = matches[^1];
        return (int.Parse(last.Groups[1].ValueSpan, CultureInfo.InvariantCulture), int.Parse(last.Groups[2].ValueSpan, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(\d{1,9})\s+passed,\s*(\d{1,9})\s+failed", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PassedFailed();
}
