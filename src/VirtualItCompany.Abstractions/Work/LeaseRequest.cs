namespace VirtualItCompany;

/// <summary>What a worker asks the queue for.</summary>
/// <param name="WorkerId">Who asks; recorded on the lease.</param>
/// <param name="Duration">How long the lease lasts before another worker may take the item.</param>
/// <param name="ExcludedRoles">Roles the worker has no capacity for right now; <see langword="null"/> or empty to take any role.</param>
public sealed record LeaseRequest(string WorkerId, TimeSpan Duration, IReadOnlySet<AgentRole>? ExcludedRoles = null);
