namespace VirtualItCompany;

/// <summary>What a command did.</summary>
/// <param name="ExitCode">The process exit code (-1 when it was killed on time-out).</param>
/// <param name="Output">Standard output and error interleaved, capped to the end.</param>
/// <param name="TimedOut">Whether the command was killed because it ran too long.</param>
/// <param name="Duration">How long it ran.</param>
public sealed record CommandResult(int ExitCode, string Output, bool TimedOut, TimeSpan Duration)
{
    /// <summary>Gets whether the command exited with code 0.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
