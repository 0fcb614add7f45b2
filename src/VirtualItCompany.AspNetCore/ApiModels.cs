using VirtualItCompany.Runtime;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualItCompany.AspNetCore;

/// <summary>A brief as the API takes it; the owner is the signed-in user, never the body.</summary>
/// <param name="Title">The short name of the project.</param>
/// <param name="Description">What the client wants.</param>
/// <param name="AcceptanceCriteria">The conditions the delivered project must meet; may be empty.</param>
/// <param name="Budget">The most to spend on model calls, in US dollars; <see langword="null"/> for the company's default.</param>
public sealed record BriefRequest(string Title, string Description, IReadOnlyList<string>? AcceptanceCriteria = null, decimal? Budget = null)
{
    /// <summary>The brief this request describes, for a client.</summary>
    internal ProjectBrief ToBrief(string client) => new()
    {
        Title = Title,
        Description = Description,
        AcceptanceCriteria = AcceptanceCriteria ?? [],
        Budget = Budget,
        Client = client,
    };
}

/// <summary>A text the client gives: an answer, or the changes asked for.</summary>
/// <param name="Text">The text.</param>
public sealed record TextRequest(string Text);

/// <summary>An optional comment or reason (approve, pause, cancel).</summary>
/// <param name="Text">The comment or reason; <see langword="null"/> for none (or the default reason).</param>
public sealed record OptionalTextRequest(string? Text = null);

/// <summary>Budget to add to a project.</summary>
/// <param name="Amount">What to add, in US dollars; more than zero.</param>
public sealed record BudgetRequest(decimal Amount);

/// <summary>A project as the API shows it.</summary>
/// <param name="Id">The project's id.</param>
/// <param name="Title">The brief's title.</param>
/// <param name="Owner">The client the project belongs to (the <c>sub</c> of who submitted it).</param>
/// <param name="Status">Active, WaitingForClient, Paused, Completed or Cancelled.</param>
/// <param name="Stage">The lifecycle stage.</param>
/// <param name="Version">The number of events so far: the last event id of its event stream.</param>
/// <param name="WaitingFor">What the project waits for from the client (Clarification, Review, Budget), if anything.</param>
/// <param name="Question">The question the client is asked, if any.</param>
/// <param name="Spent">What model calls cost so far, in US dollars.</param>
/// <param name="Budget">The budget, in US dollars.</param>
/// <param name="CreatedAt">When the project was created.</param>
/// <param name="UpdatedAt">When its last event was committed.</param>
/// <param name="Deployments">Where it is deployed, by environment.</param>
public sealed record ProjectView(
    string Id,
    string Title,
    string Owner,
    string Status,
    string Stage,
    long Version,
    string? WaitingFor,
    string? Question,
    decimal Spent,
    decimal? Budget,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string> Deployments)
{
    /// <summary>Creates the view of a snapshot.</summary>
    /// <param name="project">The snapshot.</param>
    /// <returns>The view.</returns>
    public static ProjectView Of(ProjectSnapshot project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return new(
            project.Id.Value,
            project.Brief.Title,
            project.Brief.Client,
            project.Status.ToString(),
            project.Stage.Value,
            project.Version,
            project.PendingInput?.Kind.ToString(),
            project.PendingInput?.Question,
            project.Spent,
            project.Brief.Budget,
            project.CreatedAt,
            project.UpdatedAt,
            project.Deployments.ToImmutableSortedDictionary(d => d.Key, d => d.Value.ToString(), StringComparer.Ordinal));
    }
}

/// <summary>One page of a project listing.</summary>
/// <param name="Items">The projects on this page, newest first.</param>
/// <param name="Page">The page, from 1.</param>
/// <param name="PageSize">The most projects per page.</param>
/// <param name="Total">How many projects match the filter.</param>
public sealed record ProjectPage(IReadOnlyList<ProjectView> Items, int Page, int PageSize, int Total);

/// <summary>A file of the delivered code.</summary>
/// <param name="Path">Its path in the project.</param>
/// <param name="Version">Its version.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="ContentHash">The hash of its content.</param>
/// <param name="SavedAt">When this version was saved.</param>
public sealed record ArtifactView(string Path, int Version, long Length, string ContentHash, DateTimeOffset SavedAt);

/// <summary>What model calls cost under one key (a project, a model, a role or a day).</summary>
/// <param name="Key">The project id, provider/model, role or day (yyyy-MM-dd, UTC).</param>
/// <param name="Calls">The number of calls.</param>
/// <param name="InputTokens">Input tokens used.</param>
/// <param name="OutputTokens">Output tokens used.</param>
/// <param name="Cost">What the calls cost, in US dollars.</param>
public sealed record CostLine(string Key, long Calls, long InputTokens, long OutputTokens, decimal Cost);

/// <summary>What model calls cost, from the projects' events (every charge is a <see cref="ModelCallCompleted"/> event).</summary>
/// <param name="Total">Everything.</param>
/// <param name="ByProject">By project.</param>
/// <param name="ByModel">By provider and model.</param>
/// <param name="ByRole">By agent role.</param>
/// <param name="ByDay">By day (UTC).</param>
public sealed record CostReport(CostLine Total, IReadOnlyList<CostLine> ByProject, IReadOnlyList<CostLine> ByModel, IReadOnlyList<CostLine> ByRole, IReadOnlyList<CostLine> ByDay);

/// <summary>The work queue as the admin view shows it.</summary>
/// <param name="Depth">Items on the queue: waiting (including those whose retry time has not come) or leased.</param>
/// <param name="ProjectsByStatus">How many projects have each status.</param>
public sealed record QueueView(long Depth, IReadOnlyDictionary<string, int> ProjectsByStatus);

/// <summary>One model call's routing decision as the admin view shows it.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="At">When the call was committed.</param>
/// <param name="Role">The agent role that made the call.</param>
/// <param name="Stage">The stage it was made in.</param>
/// <param name="Provider">The provider that served it.</param>
/// <param name="ModelId">The model that served it.</param>
/// <param name="Complexity">The complexity (1-10) the call was routed by; <see langword="null"/> when the call carries no decision (a model without the router).</param>
/// <param name="ComplexityEstimated">Whether the router estimated the complexity (the agent stated none).</param>
/// <param name="Reason">Why the router chose the model.</param>
/// <param name="EstimatedCost">What the router expected the call to cost, in US dollars.</param>
/// <param name="Cost">What it was charged, in US dollars.</param>
/// <param name="FailedOver">Models tried and failed before this one answered.</param>
/// <param name="Candidates">How many models qualified.</param>
public sealed record RoutingDecisionView(
    string ProjectId, DateTimeOffset At, string Role, string Stage, string Provider, string ModelId, int? Complexity, bool ComplexityEstimated,
    string? Reason, decimal? EstimatedCost, decimal Cost, IReadOnlyList<string> FailedOver, int Candidates);

/// <summary>How many calls of one complexity went to one model.</summary>
/// <param name="Complexity">The complexity (1-10); 0 for calls without a routing decision.</param>
/// <param name="ModelId">The model.</param>
/// <param name="Calls">How many calls.</param>
/// <param name="Cost">What they cost, in US dollars.</param>
public sealed record RoutingMixLine(int Complexity, string ModelId, long Calls, decimal Cost);

/// <summary>The router's decisions: the latest calls and the mix of models by complexity.</summary>
/// <param name="Recent">The latest decisions, newest first.</param>
/// <param name="Mix">Every call counted by complexity and model.</param>
public sealed record RoutingReport(IReadOnlyList<RoutingDecisionView> Recent, IReadOnlyList<RoutingMixLine> Mix);

/// <summary>The health of this process's workers and the queue they serve.</summary>
/// <param name="Status"><c>healthy</c> (running, the queue answers), <c>degraded</c> (running, leasing from the queue failing),
/// <c>stopped</c> (the dispatcher is not running: no <c>AddWorker()</c>, or the host is stopping) or <c>absent</c> (no runtime in this host).</param>
/// <param name="QueueDepth">Items on the queue: waiting or leased, by any process.</param>
/// <param name="Process">This process's workers; <see langword="null"/> when absent. Other processes' workers report in their own hosts.</param>
public sealed record WorkersView(string Status, long QueueDepth, WorkerHealth? Process);

/// <summary>Asks the development token endpoint for a token.</summary>
/// <param name="Subject">The user id (<c>sub</c>): the owner of the projects the user submits.</param>
/// <param name="Role"><c>client</c> or <c>admin</c>.</param>
public sealed record DevelopmentTokenRequest(string Subject, string Role);

/// <summary>A token from the development token endpoint.</summary>
/// <param name="AccessToken">The JWT, to send as <c>Authorization: Bearer …</c>.</param>
/// <param name="ExpiresAt">When it expires.</param>
public sealed record DevelopmentTokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(BriefRequest))]
[JsonSerializable(typeof(TextRequest))]
[JsonSerializable(typeof(OptionalTextRequest))]
[JsonSerializable(typeof(BudgetRequest))]
[JsonSerializable(typeof(ProjectView))]
[JsonSerializable(typeof(ProjectPage))]
[JsonSerializable(typeof(ArtifactView))]
[JsonSerializable(typeof(IReadOnlyList<ArtifactView>))]
[JsonSerializable(typeof(CostReport))]
[JsonSerializable(typeof(QueueView))]
[JsonSerializable(typeof(RoutingReport))]
[JsonSerializable(typeof(WorkersView))]
[JsonSerializable(typeof(DevelopmentTokenRequest))]
[JsonSerializable(typeof(DevelopmentTokenResponse))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(WebhookSubscriptionRequest))]
[JsonSerializable(typeof(WebhookSubscriptionView))]
[JsonSerializable(typeof(IReadOnlyList<WebhookSubscriptionView>))]
[JsonSerializable(typeof(WebhookDeliveryView))]
[JsonSerializable(typeof(IReadOnlyList<WebhookDeliveryView>))]
[JsonSerializable(typeof(WebhookInboundRequest))]
[JsonSerializable(typeof(CostEstimateView))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
