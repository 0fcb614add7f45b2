namespace VirtualItCompany.Lifecycle;

/// <summary>A lifecycle definition was rejected; <see cref="Problems"/> lists every reason.</summary>
public sealed class InvalidLifecycleException : Exception
{
    /// <summary>Creates the exception from the name of the lifecycle and the list of its problems.</summary>
    /// <param name="lifecycleName">The name of the rejected lifecycle.</param>
    /// <param name="problems">Every problem of the lifecycle, each a sentence.</param>
    public InvalidLifecycleException(string lifecycleName, IReadOnlyList<string> problems)
        : base($"The lifecycle '{lifecycleName}' is not valid: " + string.Join(" ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Gets each problem of the lifecycle, as a sentence.</summary>
    public IReadOnlyList<string> Problems { get; }
}
