using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>A single model's client, wrapped so that it answers for its profile: price, profile and metadata, keyed or not.</summary>
internal sealed class PricedChatClient : DelegatingChatClient
{
    private readonly ModelProfile _profile;
    private readonly ChatClientMetadata _metadata;

    public PricedChatClient(IChatClient inner, ModelProfile profile)
        : base(inner)
    {
        _profile = profile;
        _metadata = inner.GetService<ChatClientMetadata>() ?? new ChatClientMetadata(profile.Provider, null, profile.ModelId);
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        // The only model answers for any model id it reports (providers often report dated variants).
        return serviceType == typeof(ModelPricing) ? _profile.Pricing
            : serviceType == typeof(ModelProfile) ? _profile
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : base.GetService(serviceType, serviceKey);
    }
}
