using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.AspNetCore;

/// <summary>Webhook subscriptions (a client sees and deletes only its own), the inbound endpoint for workflow tools, and the admin view of deliveries.</summary>
internal static class WebhookEndpoints
{
    private const string Json = "application/json";

    public static void Map(RouteGroupBuilder webhooks)
    {
        webhooks.MapPost("", Create)
            .WithName("VirtualItCompany.Webhooks.Create").WithSummary("Subscribes a URL to the caller's projects' events; the response carries the signing secret, once.")
            .Accepts<WebhookSubscriptionRequest>(Json).Produces<WebhookSubscriptionView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        webhooks.MapGet("", List)
            .WithName("VirtualItCompany.Webhooks.List").WithSummary("The caller's own subscriptions (no secrets).")
            .Produces<IReadOnlyList<WebhookSubscriptionView>>();
        webhooks.MapDelete("/{subscriptionId}", Delete)
            .WithName("VirtualItCompany.Webhooks.Delete").WithSummary("Deletes one of the caller's subscriptions; its pending deliveries are failed. Another client's is 404.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/inbound", Inbound)
            .WithName("VirtualItCompany.Webhooks.Inbound").WithSummary("For workflow tools: answer, approve or request changes on one of the caller's projects, named in the body.")
            .Accepts<WebhookInboundRequest>(Json).Produces<ProjectView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static void MapAdmin(RouteGroupBuilder admin) =>
        admin.MapGet("/webhooks/deliveries", Deliveries)
            .WithName("VirtualItCompany.Admin.WebhookDeliveries").WithSummary("The most recent webhook deliveries (limit, default 100, at most 1000), newest first, with their status, attempts and last error.")
            .Produces<IReadOnlyList<WebhookDeliveryView>>().ProducesProblem(StatusCodes.Status400BadRequest);

    private static async Task<IResult> Create(HttpContext http, IWebhookStore store, TimeProvider time, IOptions<VirtualItCompanyApiOptions> api, IOptions<VirtualItCompanyWebhookOptions> options, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadAsync(http, ApiJsonContext.Default.WebhookSubscriptionRequest, api.Value.MaxRequestBodyBytes, optional: false).ConfigureAwait(false);
        if (read.Error is not null)
        {
            return read.Error;
        }

        if (Ownership.UserId(http.User) is not { } client)
        {
            return Problems.BadRequest("The token has no 'sub' claim: the subscription needs an owner.");
        }

        var o = options.Value;
        var request = read.Value!;
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || !(url.Scheme == Uri.UriSchemeHttps || (o.AllowHttp && url.Scheme == Uri.UriSchemeHttp))
            || url.UserInfo.Length > 0 || request.Url.Length > 2000)
        {
            return Problems.BadRequest($"url is '{request.Url}'; it must be an absolute {(o.AllowHttp ? "http or https" : "https")} URL without user name or password, of at most 2000 characters.");
        }

        var events = request.Events is { Count: > 0 } asked ? asked.Distinct(StringComparer.Ordinal).ToList() : [.. WebhookDispatcher.EventTypes];
        if (events.FirstOrDefault(e => !WebhookDispatcher.EventTypes.Contains(e)) is { } unknown)
        {
            return Problems.BadRequest($"events has '{unknown}'; use {string.Join(", ", WebhookDispatcher.EventTypes)} (or none for all).");
        }

        var subscription = new WebhookSubscription(
            "whs_" + Guid.NewGuid().ToString("N"), client, url.AbsoluteUri, events, "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'), time.GetUtcNow());
        if (!await store.AddSubscriptionAsync(subscription, o.MaxSubscriptionsPerClient, cancellationToken).ConfigureAwait(false))
        {
            return TypedResults.Problem($"You already have {o.MaxSubscriptionsPerClient} subscriptions; delete one first.", statusCode: StatusCodes.Status409Conflict, title: "Too many subscriptions");
        }

        return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path}/{subscription.Id}", subscription.View(withSecret: true));
    }

    private static async Task<IResult> List(HttpContext http, IWebhookStore store, CancellationToken cancellationToken)
    {
        var mine = Ownership.UserId(http.User) is { } client ? await store.ListSubscriptionsAsync(client, cancellationToken).ConfigureAwait(false) : [];
        return TypedResults.Ok<IReadOnlyList<WebhookSubscriptionView>>([.. mine.Select(s => s.View(withSecret: false))]);
    }

    private static async Task<IResult> Delete(HttpContext http, string subscriptionId, IWebhookStore store, CancellationToken cancellationToken) =>
        Ownership.UserId(http.User) is { } client && await store.DeleteSubscriptionAsync(client, subscriptionId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem("No subscription with that id exists for you.", statusCode: StatusCodes.Status404NotFound, title: "Subscription not found");

    private static async Task<IResult> Inbound(HttpContext http, IDeliveryCompany company, IOptions<VirtualItCompanyApiOptions> api, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadAsync(http, ApiJsonContext.Default.WebhookInboundRequest, api.Value.MaxRequestBodyBytes, optional: false).ConfigureAwait(false);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var request = read.Value!;
        if (request.Action is not ("answer" or "approve" or "request-changes"))
        {
            return Problems.BadRequest($"action is '{request.Action}'; use answer, approve or request-changes.");
        }

        if (request.Action != "approve" && string.IsNullOrWhiteSpace(request.Text))
        {
            return Problems.BadRequest($"{request.Action} needs a text (the answer, or the changes asked for).");
        }

        var project = await ProjectEndpoints.FindAsync(company, http.User, request.ProjectId ?? string.Empty, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            return Problems.NotFound();
        }

        try
        {
            var after = request.Action switch
            {
                "answer" => await company.AnswerAsync(project.Id, request.Text!, cancellationToken).ConfigureAwait(false),
                "approve" => await company.ApproveAsync(project.Id, request.Text, cancellationToken).ConfigureAwait(false),
                _ => await company.RequestChangesAsync(project.Id, request.Text!, cancellationToken).ConfigureAwait(false),
            };
            return TypedResults.Ok(ProjectView.Of(after));
        }
        catch (ProjectNotFoundException)
        {
            return Problems.NotFound();
        }
        catch (InvalidProjectOperationException e)
        {
            return Problems.Conflict(e.Message);
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    private static async Task<IResult> Deliveries(HttpContext http, IWebhookStore store, CancellationToken cancellationToken)
    {
        int limit = 100;
        if (http.Request.Query["limit"] is { Count: > 0 } text && (!int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return Problems.BadRequest($"limit is '{text}'; it must be from 1 to 1000.");
        }

        var recent = await store.ListRecentAsync(limit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<WebhookDeliveryView>>([.. recent.Select(d => d.View())]);
    }
}
