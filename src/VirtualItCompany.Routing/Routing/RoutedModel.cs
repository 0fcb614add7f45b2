using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>A model the router may send calls to: its profile and its chat client.</summary>
/// <param name="Profile">What the model costs and can do.</param>
/// <param name="Client">The model's chat client.</param>
public sealed record RoutedModel(ModelProfile Profile, IChatClient Client);
