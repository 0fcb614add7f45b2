using Microsoft.Extensions.AI;
using VirtualItCompany.Routing;

namespace VirtualItCompany.DependencyInjection;

/// <summary>The chat client the agents call: an <see cref="IChatClient"/> registered directly, else the one model added, else the cost-aware router over all of them.</summary>
internal sealed class CompanyModel
{
    private CompanyModel(IChatClient client) => Client = client;

    public IChatClient Client { get; }

    /// <summary>Checks, at start, that every call can be priced: a call whose cost cannot be accounted is refused before it is paid for.</summary>
    public static CompanyModel Create(IChatClient? client)
    {
        if (client is null)
        {
            throw new InvalidOperationException("No model is registered. Add one to the company: AddOfflineModel() for the offline stand-in (no AI), or AddModel(profile, client) for a real model; with more than one, calls are routed to the cheapest that can do each.");
        }

        if (client.GetService<CostAwareRoutingChatClient>() is null && client.GetService<ModelPricing>() is null)
        {
            var metadata = client.GetService<ChatClientMetadata>();
            throw new InvalidOperationException(
                $"The chat client registered for the company ({metadata?.ProviderName ?? client.GetType().Name}/{metadata?.DefaultModelId ?? "?"}) reports no {nameof(ModelPricing)}, so the cost of its calls could not be accounted. Add it with AddModel(profile, client) instead of registering an IChatClient, or make its GetService return a ModelPricing (ModelPricing.Free for a free model).");
        }

        return new CompanyModel(client);
    }
}
