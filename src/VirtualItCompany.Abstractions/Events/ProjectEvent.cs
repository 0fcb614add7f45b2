using System.Text.Json.Serialization;

namespace VirtualItCompany;

/// <summary>Something that happened to a project; a project is the fold of its events.</summary>
/// <remarks>
/// Agents create events with only their own data; the runtime stamps <see cref="ProjectId"/>,
/// <see cref="Version"/> and <see cref="Timestamp"/> when it commits them. Events serialize with
/// System.Text.Json through <see cref="ProjectEventSerializer"/>, with a <c>$type</c> discriminator.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ProjectCreated), "projectCreated")]
[JsonDerivedType(typeof(StageChanged), "stageChanged")]
[JsonDerivedType(typeof(WorkItemScheduled), "workItemScheduled")]
[JsonDerivedType(typeof(WorkItemCompleted), "workItemCompleted")]
[JsonDerivedType(typeof(WorkItemFailed), "workItemFailed")]
[JsonDerivedType(typeof(WorkItemParked), "workItemParked")]
[JsonDerivedType(typeof(ModelCallCompleted), "modelCallCompleted")]
[JsonDerivedType(typeof(RequirementsCaptured), "requirementsCaptured")]
[JsonDerivedType(typeof(PlanCreated), "planCreated")]
[JsonDerivedType(typeof(DesignNotesWritten), "designNotesWritten")]
[JsonDerivedType(typeof(FilesChanged), "filesChanged")]
[JsonDerivedType(typeof(CodeReviewed), "codeReviewed")]
[JsonDerivedType(typeof(TestsRun), "testsRun")]
[JsonDerivedType(typeof(Deployed), "deployed")]
[JsonDerivedType(typeof(HealthChecked), "healthChecked")]
[JsonDerivedType(typeof(ClientInputRequested), "clientInputRequested")]
[JsonDerivedType(typeof(ClientAnswered), "clientAnswered")]
[JsonDerivedType(typeof(ClientApproved), "clientApproved")]
[JsonDerivedType(typeof(ClientRequestedChanges), "clientRequestedChanges")]
[JsonDerivedType(typeof(ProjectPaused), "projectPaused")]
[JsonDerivedType(typeof(ProjectResumed), "projectResumed")]
[JsonDerivedType(typeof(ProjectCancelled), "projectCancelled")]
[JsonDerivedType(typeof(ProjectCompleted), "projectCompleted")]
[JsonDerivedType(typeof(BudgetIncreased), "budgetIncreased")]
public abstract record ProjectEvent
{
    /// <summary>Gets the project the event belongs to (stamped at commit).</summary>
    public ProjectId ProjectId { get; init; }

    /// <summary>Gets the event's position in the project's history, from 1 (stamped at commit).</summary>
    public long Version { get; init; }

    /// <summary>Gets when the event was committed (stamped at commit).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets a one-line description for progress displays and logs.</summary>
    [JsonIgnore]
    public virtual string Description => GetType().Name;
}
