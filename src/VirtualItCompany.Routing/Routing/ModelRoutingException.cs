namespace VirtualItCompany.Routing;

/// <summary>No registered model can take a call (capabilities, context window or health), whatever the budget.</summary>
public sealed class ModelRoutingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ModelRoutingException()
        : this("No registered model can take this call.", [])
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why no model could take the call.</param>
    public ModelRoutingException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why no model could take the call.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ModelRoutingException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Candidates = [];
    }

    /// <summary>Creates the exception with the candidates considered.</summary>
    /// <param name="message">Why no model could take the call.</param>
    /// <param name="candidates">Every model considered, and why each was rejected.</param>
    public ModelRoutingException(string message, IReadOnlyList<RoutingCandidate> candidates)
        : base(message)
    {
        Candidates = candidates ?? [];
    }

    /// <summary>Gets every model considered, and why each was rejected.</summary>
    public IReadOnlyList<RoutingCandidate> Candidates { get; }
}
