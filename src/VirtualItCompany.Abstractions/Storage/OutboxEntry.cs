namespace VirtualItCompany;

/// <summary>A committed <see cref="OutboxMessage"/> waiting to be delivered.</summary>
/// <param name="Sequence">Its position in the outbox, increasing in commit order across all projects.</param>
/// <param name="ProjectId">The project whose commit wrote it.</param>
/// <param name="Message">The message.</param>
public sealed record OutboxEntry(long Sequence, ProjectId ProjectId, OutboxMessage Message);
