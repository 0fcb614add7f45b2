namespace VirtualItCompany.Lifecycle.Tests;

/// <summary>A small custom lifecycle vocabulary the tests build lifecycles from.</summary>
internal static class Publishing
{
    public static readonly LifecycleStage Draft = new("Draft");
    public static readonly LifecycleStage Review = new("Review");
    public static readonly LifecycleStage Published = new("Published");
    public static readonly LifecycleStage Archive = new("Archive");

    public static readonly LifecycleTrigger Edit = new("Edit");
    public static readonly LifecycleTrigger Submit = new("Submit");
    public static readonly LifecycleTrigger Approve = new("Approve");
    public static readonly LifecycleTrigger Reject = new("Reject");
    public static readonly LifecycleTrigger Publish = new("Publish");

    public static readonly AgentRole Author = new("Author");
    public static readonly AgentRole Editor = new("Editor");

    /// <summary>Draft -Publish-> Published: the smallest valid lifecycle, for tests to add one mistake to.</summary>
    public static LifecycleDefinitionBuilder Minimal() =>
        LifecycleDefinition.CreateBuilder("Publishing", Draft)
            .Stage(Draft, Author)
            .Terminal(Published)
            .Permit(Draft, Publish, Published);
}
