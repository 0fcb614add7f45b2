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
        ActivityName = "chat " + profile.ModelId;
        CachedInputPerToken = CostUnits.PerToken(profile.Pricing.CachedInputPerMillion ?? profile.Pricing.InputPerMillion);
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

    public string ActivityName { get; }

    public double CachedInputPerToken { get; }

    /// <summary>What a call with this usage cost, in ledger units, rounded up: the same as <see cref="ModelPricing.CostOf"/>, without <see langword="decimal"/> arithmetic.</summary>
    public long CostUnitsOf(UsageDetails usage)
    {
        long input = usage.InputTokenCount ?? 0;
        long cached = Math.Min(usage.CachedInputTokenCount ?? 0, input);
        long output = usage.OutputTokenCount ?? 0;
        double cost = (input - cached) * InputPerToken + cached * CachedInputPerToken + output * OutputPerToken;
        return cost <= 0 ? 0 : cost >= BudgetUnits.Unlimited ? BudgetUnits.Unlimited : (long)Math.Ceiling(cost);
    }

    public override string ToString() => Profile.Id;
}
