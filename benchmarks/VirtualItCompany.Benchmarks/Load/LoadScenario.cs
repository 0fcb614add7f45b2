namespace VirtualItCompany.Benchmarks.Load;

/// <summary>One run of the load harness: how many projects are kept in flight, on how many workers, observed how.</summary>
/// <param name="InFlight">Projects in flight; a new one is submitted whenever one completes.</param>
/// <param name="Workers">The dispatcher's workers.</param>
/// <param name="Features">Features each project plans (the developer fan-out).</param>
/// <param name="Feed">Whether a live-feed subscriber counts the events (else a store decorator does, and the feed has no subscriber).</param>
/// <param name="ModelCall">Whether agents make their one model call through the runtime's chat pipeline.</param>
/// <param name="ProfileAllocations">Whether allocation ticks are sampled by type (slows the run; its throughput is not comparable).</param>
internal sealed record LoadScenario(int InFlight, int Workers, int Features, bool Feed = true, bool ModelCall = true, bool ProfileAllocations = false)
{
    public string Variant => (Feed, ModelCall) switch
    {
        (true, true) => "full",
        (false, true) => "no feed subscriber",
        (true, false) => "no model call",
        _ => "no feed, no model call",
    } + (ProfileAllocations ? ", allocation profile" : string.Empty);
}
