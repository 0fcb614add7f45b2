using Microsoft.Extensions.AI;

namespace VirtualItCompany.DependencyInjection;

/// <summary>The chat client the agents call: an <see cref="IChatClient"/> registered directly, else the one model added, else the cost-aware router over all of them.</summary>
/// <param name="Client">The client.</param>
internal sealed record CompanyModel(IChatClient Client);
