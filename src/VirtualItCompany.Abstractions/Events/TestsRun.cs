namespace VirtualItCompany;

/// <summary>The tester ran the tests as a process.</summary>
/// <param name="Command">The command line, as arguments.</param>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Passed">Tests passed, as reported by the run.</param>
/// <param name="Failed">Tests failed, as reported by the run.</param>
/// <param name="OutputTail">The end of the output.</param>
public sealed record TestsRun(IReadOnlyList<string> Command, int ExitCode, int Passed, int Failed, string OutputTail) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Tests ran: exit code {ExitCode}, {Passed} passed, {Failed} failed";
}
