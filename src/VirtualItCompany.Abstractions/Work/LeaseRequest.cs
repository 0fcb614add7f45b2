namespace VirtualItCompany;

/// <summary>What a worker asks the queue for.</summary>
/// <param name="WorkerId">Who asks; recorded on the lease.</param>
/// <param name="Duration">How long the lease lasts before another worker may take the item.</param>
/// <param name="Roles">The roles the worker has capacity for; <see langword="null"/> for any role.</param>
public sealed record LeaseRequest(string WorkerId, TimeSpan Duration, IReadOnlySet<AgentRole>? Roles = null);
