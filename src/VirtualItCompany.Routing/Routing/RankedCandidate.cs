namespace VirtualItCompany.Routing;

/// <summary>One model as ranked for one call.</summary>
internal struct RankedCandidate
{
    public int Model;
    public int OutputTokens;
    public long Cost;
    public Rejection Rejection;
    public ModelCapabilities Missing;
    public string? FailureText;
}
