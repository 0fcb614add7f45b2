using Microsoft.Extensions.AI;

namespace VirtualItCompany.DependencyInjection;

/// <summary>Middleware an app adds to the agents' chat pipeline, between telemetry and the router.</summary>
internal sealed record ChatPipelineConfiguration(Action<ChatClientBuilder> Configure);
