namespace VirtualItCompany;

/// <summary>A project brief was rejected; <see cref="Problems"/> lists every reason.</summary>
public sealed class InvalidBriefException : ArgumentException
{
    /// <summary>Creates the exception from the list of problems.</summary>
    /// <param name="problems">Every problem of the brief.</param>
    public InvalidBriefException(IReadOnlyList<string> problems)
        : base("The project brief is not valid: " + string.Join(" ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Gets each problem of the brief, as a sentence.</summary>
    public IReadOnlyList<string> Problems { get; }
}
