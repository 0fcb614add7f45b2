namespace VirtualItCompany.AspNetCore;

/// <summary>A client's webhook subscription as stored, with its signing secret.</summary>
internal sealed record WebhookSubscription(string Id, string Client, string Url, IReadOnlyList<string> Events, string Secret, DateTimeOffset CreatedAt)
{
    public WebhookSubscriptionView View(bool withSecret) => new(Id, Url, Events, CreatedAt, withSecret ? Secret : null);
}

/// <summary>The states of a delivery.</summary>
internal static class WebhookDeliveryStatus
{
    public const string Pending = "Pending";
    public const string Delivered = "Delivered";
    public const string Failed = "Failed";
}

/// <summary>One event for one subscription: a row of the delivery outbox.</summary>
internal sealed record WebhookDelivery(
    string Id,
    string SubscriptionId,
    string Client,
    string ProjectId,
    long EventVersion,
    string EventType,
    string Payload,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt)
{
    public WebhookDeliveryView View() => new(Id, SubscriptionId, Client, ProjectId, EventVersion, EventType, Status, Attempts, NextAttemptAt, LastStatusCode, LastError, CreatedAt, DeliveredAt);
}

/// <summary>
/// Subscriptions, the delivery outbox and the dispatcher's cursor over each project's event log. Queuing a project's
/// deliveries and moving its cursor past them is one atomic write, so an event is either waiting to be delivered or not
/// yet read: nothing is lost when the process stops between the two.
/// </summary>
internal interface IWebhookStore
{
    /// <summary>Adds a subscription unless its client already has <paramref name="maxPerClient"/>.</summary>
    /// <returns>Whether it was added.</returns>
    Task<bool> AddSubscriptionAsync(WebhookSubscription subscription, int maxPerClient, CancellationToken cancellationToken);

    /// <summary>Lists the subscriptions of a client, or all of them for <see langword="null"/>, oldest first.</summary>
    Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(string? client, CancellationToken cancellationToken);

    /// <summary>Deletes a client's subscription and fails its pending deliveries; another client's is left alone.</summary>
    /// <returns>Whether the client had it.</returns>
    Task<bool> DeleteSubscriptionAsync(string client, string id, CancellationToken cancellationToken);

    /// <summary>Gets how far into each project's event log the dispatcher has read (projects it has not read are absent).</summary>
    Task<IReadOnlyDictionary<string, long>> GetCursorsAsync(CancellationToken cancellationToken);

    /// <summary>Queues deliveries (ignoring any already queued for the same subscription and event) and moves the project's cursor to <paramref name="throughVersion"/>, atomically.</summary>
    Task QueueAsync(string projectId, long throughVersion, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken);

    /// <summary>Gets pending deliveries due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> GetDueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a try (status, attempts, next attempt, last status code and error, delivered at).</summary>
    Task UpdateAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Lists the most recent deliveries, newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListRecentAsync(int maxCount, CancellationToken cancellationToken);
}
