using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualItCompany.AspNetCore;

/// <summary>A brief as the API takes it; the owner is the signed-in user, never the body.</summary>
/// <param name="Title">The short name of the project.</param>
/// <param name="Description">What the client wants.</param>
/// <param name="AcceptanceCriteria">The conditions the delivered project must meet; may be empty.</param>
/// <param name="Budget">The most to spend on model calls, in US dollars; <see langword="null"/> for the company's default.</param>
public sealed record BriefRequest(string Title, string Description, IReadOnlyList<string>? AcceptanceCriteria = null, decimal? Budget = null);

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
