namespace VirtualItCompany.AspNetCore;

/// <summary>Asks for a webhook subscription.</summary>
/// <param name="Url">Where to POST the deliveries: an absolute <c>https</c> URL (<c>http</c> only when <see cref="VirtualItCompanyWebhookOptions.AllowHttp"/>).</param>
/// <param name="Events">The event types to deliver (<c>stageChanged</c>, <c>clientInputRequested</c>, <c>projectCompleted</c>, <c>projectCancelled</c>); <see langword="null"/> or empty for all of them.</param>
public sealed record WebhookSubscriptionRequest(string Url, IReadOnlyList<string>? Events = null);

/// <summary>A webhook subscription as the API shows it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Url">Where deliveries go.</param>
/// <param name="Events">The event types delivered.</param>
/// <param name="CreatedAt">When it was created; only events after it are delivered.</param>
/// <param name="Secret">The signing secret, shown once, in the response that creates the subscription; <see langword="null"/> afterwards.</param>
public sealed record WebhookSubscriptionView(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, string? Secret);

/// <summary>One delivery of an event to a subscription, as the admin view shows it.</summary>
/// <param name="Id">The delivery's id, sent as the <c>X-VirtualItCompany-Delivery</c> header (receivers drop duplicates by it).</param>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="Client">The client who owns the subscription and the project.</param>
/// <param name="ProjectId">The project.</param>
/// <param name="EventVersion">The event's version in the project.</param>
/// <param name="EventType">The event's type, such as <c>stageChanged</c>.</param>
/// <param name="Status"><c>Pending</c> (waiting for its first try or a retry), <c>Delivered</c>, or <c>Failed</c> (out of tries, or the subscription was deleted).</param>
/// <param name="Attempts">How many times it was tried.</param>
/// <param name="NextAttemptAt">When it is tried next, while pending.</param>
/// <param name="LastStatusCode">The HTTP status of the last try, if the receiver answered.</param>
/// <param name="LastError">What went wrong in the last try, if it failed.</param>
/// <param name="CreatedAt">When the delivery was queued.</param>
/// <param name="DeliveredAt">When the receiver accepted it (a 2xx answer).</param>
public sealed record WebhookDeliveryView(
    string Id,
    string SubscriptionId,
    string Client,
    string ProjectId,
    long EventVersion,
    string EventType,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt);

/// <summary>What a workflow tool sends to the inbound endpoint to act on a project.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Action"><c>answer</c>, <c>approve</c> or <c>request-changes</c>.</param>
/// <param name="Text">The answer, the approval's comment (optional) or the changes asked for.</param>
public sealed record WebhookInboundRequest(string ProjectId, string Action, string? Text = null);
