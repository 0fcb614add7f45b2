namespace VirtualItCompany.Routing;

/// <summary>One model as ranked for one call.</summary>
internal struct RankedCandidate
{
    public int Model;
    public int Position;
    public int OutputTokens;
    public long Cost;
    public long Primary;
    public byte SpecialityMiss;
    public Rejection Rejection;
    public ModelCapabilities Missing;
    public string? FailureText;
}
