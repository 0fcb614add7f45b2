using System.Text.Json.Serialization;

namespace VirtualItCompany;

/// <summary>One piece of work for one role in one stage of a project, such as "develop feature X".</summary>
/// <remarks>Immutable once scheduled: how often it was tried is the queue's to count (<see cref="WorkLease.Attempt"/>), so every copy of an item (snapshot, queue, events) agrees.</remarks>
public sealed record WorkItem
{
    /// <summary>Gets the unique id of the work item.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the project the work is for.</summary>
    public required ProjectId ProjectId { get; init; }

    /// <summary>Gets the role that does the work.</summary>
    public required AgentRole Role { get; init; }

    /// <summary>Gets the lifecycle stage the work belongs to.</summary>
    public required LifecycleStage Stage { get; init; }

    /// <summary>Gets how many times the project has entered <see cref="Stage"/> when this item was scheduled; work of an older round is stale and is dropped.</summary>
    public int Round { get; init; }

    /// <summary>Gets what the work is about inside the stage, such as the feature's name; <see langword="null"/> for the stage's single item.</summary>
    public string? Subject { get; init; }

    /// <summary>Gets when the item was scheduled.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Creates a work item with a new id.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="role">The role that does the work.</param>
    /// <param name="stage">The stage.</param>
    /// <param name="round">The stage round (see <see cref="Round"/>).</param>
    /// <param name="createdAt">When it is scheduled.</param>
    /// <param name="subject">What the work is about, or <see langword="null"/>.</param>
    /// <returns>The new item.</returns>
    public static WorkItem Create(ProjectId projectId, AgentRole role, LifecycleStage stage, int round, DateTimeOffset createdAt, string? subject = null) => new()
    {
        Id = "wi_" + Guid.CreateVersion7().ToString("N"),
        ProjectId = projectId,
        Role = role,
        Stage = stage,
        Round = round,
        Subject = subject,
        CreatedAt = createdAt,
    };

    /// <summary>Gets a short description for logs and progress displays.</summary>
    [JsonIgnore]
    public string DisplayName => Subject is null ? $"{Stage} ({Role})" : $"{Stage}: {Subject} ({Role})";
}
