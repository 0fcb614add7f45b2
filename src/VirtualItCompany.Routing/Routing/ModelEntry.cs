using Microsoft.Extensions.AI;
using Polly;

namespace VirtualItCompany.Routing;

/// <summary>A registered model as the router holds it: profile, client, pipeline, health, and its prices precomputed for the hot path.</summary>
internal sealed class ModelEntry
{
    public ModelEntry(int index, ModelProfile profile, IChatClient client, ModelResilienceOptions resilience, TimeProvider timeProvider)
    {
        Index = index;
        Profile = profile;
        Client = client;
        Health = new ModelHealth(timeProvider);
        Pipeline = ModelPipelines.Create(resilience, Health, timeProvider);
        InputPerToken = CostUnits.PerToken(profile.Pricing.InputPerMillion);
        OutputPerToken = CostUnits.PerToken(profile.Pricing.OutputPerMillion);
        LatencyTicks = profile.TypicalLatency.Ticks;
        Capabilities = profile.Capabilities;
        MaxOutputTokens = profile.MaxOutputTokens;
        ContextWindow = profile.ContextWindow;
        Metadata = new ChatClientMetadata(profile.Provider, null, profile.ModelId);
    }

    public int Index { get; }

    public ModelProfile Profile { get; }

    public IChatClient Client { get; }

    public ModelHealth Health { get; }

    public ResiliencePipeline Pipeline { get; }

    public double InputPerToken { get; }

    public double OutputPerToken { get; }

    public long LatencyTicks { get; }

    public ModelCapabilities Capabilities { get; }

    public int MaxOutputTokens { get; }

    public long ContextWindow { get; }

    public ChatClientMetadata Metadata { get; }

    public override string ToString() => Profile.Id;
}
