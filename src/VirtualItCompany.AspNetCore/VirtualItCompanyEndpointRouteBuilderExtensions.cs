using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VirtualItCompany.AspNetCore;

/// <summary>Mounts the company's HTTP API in an app.</summary>
public static class VirtualItCompanyEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the API under <paramref name="prefix"/>: <c>projects</c> (submit, list, get, events as Server-Sent Events,
    /// client actions, artifacts) for the <c>client</c> and <c>admin</c> roles, a client seeing only its own projects
    /// (another's is 404); <c>admin/*</c> views for the <c>admin</c> role;
    /// with <see cref="VirtualItCompanyApiServiceCollectionExtensions.AddVirtualItCompanyWebhooks"/>, <c>webhooks</c>
    /// (subscriptions, each client its own; <c>webhooks/inbound</c>) and <c>admin/webhooks/deliveries</c>; and, in the Development environment only,
    /// <c>dev/token</c>, which signs a token for any user and role (needs <see cref="VirtualItCompanyApiServiceCollectionExtensions.AddVirtualItCompanyJwtBearer"/>).
    /// Every endpoint is rate limited per user; errors are problem details.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The route prefix, such as <c>/api</c>.</param>
    /// <returns>The group of all the API's endpoints, to add conventions (such as CORS) to.</returns>
    /// <exception cref="InvalidOperationException"><see cref="VirtualItCompanyApiServiceCollectionExtensions.AddVirtualItCompanyApi"/> was not called.</exception>
    public static RouteGroupBuilder MapVirtualItCompany(this IEndpointRouteBuilder endpoints, string prefix = "/api")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<Microsoft.Extensions.Options.IOptions<VirtualItCompanyApiOptions>>() is null)
        {
            throw new InvalidOperationException("MapVirtualItCompany needs the API's services: call builder.Services.AddVirtualItCompanyApi() (and an authentication scheme, such as AddVirtualItCompanyJwtBearer()).");
        }

        var api = endpoints.MapGroup(prefix).WithTags("VirtualItCompany");

        var projects = api.MapGroup("/projects")
            .RequireAuthorization(VirtualItCompanyRoles.ClientPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        ProjectEndpoints.Map(projects);

        var admin = api.MapGroup("/admin")
            .RequireAuthorization(VirtualItCompanyRoles.AdminPolicy)
            .RequireRateLimiting(VirtualItCompanyRoles.RequestRateLimitPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        AdminEndpoints.Map(admin);

        if (endpoints.ServiceProvider.GetService<IWebhookStore>() is not null)
        {
            var webhooks = api.MapGroup("/webhooks")
                .RequireAuthorization(VirtualItCompanyRoles.ClientPolicy)
                .RequireRateLimiting(VirtualItCompanyRoles.RequestRateLimitPolicy)
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status429TooManyRequests);
            WebhookEndpoints.Map(webhooks);
            WebhookEndpoints.MapAdmin(admin);
        }

        if (endpoints.ServiceProvider.GetService<IHostEnvironment>()?.IsDevelopment() == true)
        {
            api.MapPost("/dev/token", DevelopmentToken)
                .AllowAnonymous()
                .RequireRateLimiting(VirtualItCompanyRoles.RequestRateLimitPolicy)
                .WithName("VirtualItCompany.DevelopmentToken")
                .WithSummary("Development only: signs a token for any user and role.")
                .Accepts<DevelopmentTokenRequest>("application/json")
                .Produces<DevelopmentTokenResponse>()
                .ProducesProblem(StatusCodes.Status400BadRequest);
        }

        return api;
    }

    private static async Task<IResult> DevelopmentToken(HttpContext http, Microsoft.Extensions.Options.IOptions<VirtualItCompanyApiOptions> options)
    {
        var issuer = http.RequestServices.GetService<DevelopmentTokenIssuer>();
        if (issuer is null)
        {
            return TypedResults.Problem("The development token endpoint needs AddVirtualItCompanyJwtBearer().", statusCode: StatusCodes.Status501NotImplemented);
        }

        var body = await JsonBody.ReadAsync(http, ApiJsonContext.Default.DevelopmentTokenRequest, options.Value.MaxRequestBodyBytes, optional: false).ConfigureAwait(false);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var request = body.Value!;
        if (string.IsNullOrWhiteSpace(request.Subject) || request.Subject.Length > ProjectBrief.MaxTitleLength)
        {
            return Problems.BadRequest($"Subject must be a user id of 1 to {ProjectBrief.MaxTitleLength} characters.");
        }

        if (request.Role is not (VirtualItCompanyRoles.Client or VirtualItCompanyRoles.Admin))
        {
            return Problems.BadRequest($"Role is '{request.Role}'; it must be '{VirtualItCompanyRoles.Client}' or '{VirtualItCompanyRoles.Admin}'.");
        }

        return TypedResults.Ok(issuer.Issue(request.Subject, request.Role));
    }
}
