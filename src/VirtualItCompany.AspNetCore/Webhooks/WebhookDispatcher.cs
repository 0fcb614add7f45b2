using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.AspNetCore;

/// <summary>
/// Turns the projects' durable event logs into webhook deliveries and delivers them. Each turn it reads every project's
/// events past its cursor, queues one delivery per matching event and subscription of the project's owner (only events
/// after the subscription was created) and moves the cursor in the same write; then it POSTs the due deliveries, signed
/// (<see cref="WebhookSignature"/>), and retries a failed one with exponential backoff until
/// <see cref="VirtualItCompanyWebhookOptions.MaxAttempts"/>. Delivery is at least once. It stops with the host.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IWebhookStore store,
    IDeliveryCompany company,
    IProjectStore projects,
    IHttpClientFactory httpClients,
    TimeProvider time,
    IOptions<VirtualItCompanyWebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>The name of the <see cref="HttpClient"/> deliveries are sent with.</summary>
    public const string HttpClientName = "VirtualItCompany.Webhooks";

    /// <summary>The event types a subscription may ask for.</summary>
    public static readonly IReadOnlyList<string> EventTypes = ["stageChanged", "clientInputRequested", "projectCompleted", "projectCancelled"];

    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(o.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a turn that fails (the store is busy, a project cannot be read) is logged and tried again next turn
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogTurnFailed(logger, e);
                try
                {
                    await Task.Delay(o.PollInterval, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One turn: queue the new events' deliveries, then deliver the due ones.</summary>
    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var subscriptions = await store.ListSubscriptionsAsync(null, cancellationToken).ConfigureAwait(false);
        if (subscriptions.Count > 0)
        {
            await QueueNewEventsAsync(subscriptions, cancellationToken).ConfigureAwait(false);
        }

        await DeliverDueAsync(subscriptions, cancellationToken).ConfigureAwait(false);
    }

    private async Task QueueNewEventsAsync(IReadOnlyList<WebhookSubscription> subscriptions, CancellationToken cancellationToken)
    {
        var cursors = await store.GetCursorsAsync(cancellationToken).ConfigureAwait(false);
        var byClient = subscriptions.ToLookup(s => s.Client, StringComparer.Ordinal);
        await foreach (var project in company.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            long cursor = cursors.GetValueOrDefault(project.Id.Value);
            if (project.Version <= cursor)
            {
                continue;
            }

            var owners = byClient[project.Brief.Client].ToList();
            var deliveries = new List<WebhookDelivery>();
            long through = cursor;
            await foreach (var e in projects.ReadEventsAsync(project.Id, cursor, cancellationToken).ConfigureAwait(false))
            {
                through = e.Version;
                string type = ProjectEndpoints.EventType(e);
                if (!EventTypes.Contains(type))
                {
                    continue;
                }

                string? payload = null;
                foreach (var subscription in owners)
                {
                    if (e.Timestamp < subscription.CreatedAt || !subscription.Events.Contains(type))
                    {
                        continue;
                    }

                    string id = "whd_" + Guid.NewGuid().ToString("N");
                    payload ??= Payload(e, type, project);
                    deliveries.Add(new WebhookDelivery(id, subscription.Id, subscription.Client, project.Id.Value, e.Version, type, payload.Replace("\"id\":\"\"", $"\"id\":\"{id}\"", StringComparison.Ordinal), WebhookDeliveryStatus.Pending, 0, time.GetUtcNow(), null, null, time.GetUtcNow(), null));
                }
            }

            if (through > cursor)
            {
                await store.QueueAsync(project.Id.Value, through, deliveries, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The body: the delivery's id (filled in per delivery), the event's type, project, version and time, and the event as the SSE stream sends it.
    private static string Payload(ProjectEvent e, string type, ProjectSnapshot project)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", string.Empty);
            json.WriteString("type", type);
            json.WriteString("projectId", project.Id.Value);
            json.WriteString("projectTitle", project.Brief.Title);
            json.WriteNumber("version", e.Version);
            json.WriteString("timestamp", e.Timestamp);
            json.WritePropertyName("event");
            json.WriteRawValue(ProjectEndpoints.EventJson(e));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private async Task DeliverDueAsync(IReadOnlyList<WebhookSubscription> subscriptions, CancellationToken cancellationToken)
    {
        var due = await store.GetDueAsync(time.GetUtcNow(), BatchSize, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return;
        }

        var byId = subscriptions.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var http = httpClients.CreateClient(HttpClientName);
        foreach (var delivery in due)
        {
            if (!byId.TryGetValue(delivery.SubscriptionId, out var subscription))
            {
                await store.UpdateAsync(delivery with { Status = WebhookDeliveryStatus.Failed, NextAttemptAt = null, LastError = "The subscription was deleted." }, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await store.UpdateAsync(await SendAsync(http, subscription, delivery, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<WebhookDelivery> SendAsync(HttpClient http, WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var o = options.Value;
        int attempt = delivery.Attempts + 1;
        int? status = null;
        string? error;
        byte[] body = Encoding.UTF8.GetBytes(delivery.Payload);
        long timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(subscription.Secret, timestamp, body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id);
        request.Headers.Add(WebhookSignature.EventHeader, delivery.EventType);
        using var timeout = new CancellationTokenSource(o.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return delivery with { Status = WebhookDeliveryStatus.Delivered, Attempts = attempt, NextAttemptAt = null, LastStatusCode = status, LastError = null, DeliveredAt = time.GetUtcNow() };
            }

            error = $"The receiver answered {status} {response.ReasonPhrase}.";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            error = $"The receiver did not answer within {o.RequestTimeout}.";
        }
        catch (HttpRequestException e)
        {
            error = "The request failed: " + e.Message;
        }

        LogAttemptFailed(logger, delivery.Id, subscription.Url, attempt, error);
        if (attempt >= o.MaxAttempts)
        {
            return delivery with { Status = WebhookDeliveryStatus.Failed, Attempts = attempt, NextAttemptAt = null, LastStatusCode = status, LastError = error + $" Gave up after {attempt} attempts." };
        }

        double factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var wait = TimeSpan.FromTicks((long)Math.Min(o.FirstRetryDelay.Ticks * factor, o.MaxRetryDelay.Ticks));
        return delivery with { Attempts = attempt, NextAttemptAt = time.GetUtcNow() + wait, LastStatusCode = status, LastError = error };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatch turn failed; it is tried again next turn.")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} to {Url} failed (attempt {Attempt}): {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string deliveryId, string url, int attempt, string error);
}
