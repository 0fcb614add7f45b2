using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace VirtualItCompany.AspNetCore;

/// <summary>Registers what the API endpoints need: options, authorization policies, rate limits, JSON metadata, problem details, and JWT bearer authentication.</summary>
public static class VirtualItCompanyApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the API's services: its options (<c>VirtualItCompany:Api</c>, validated at start), the <c>admin</c> and
    /// <c>client</c> authorization policies, per-user rate limits (strictest on submit), problem details and source-generated
    /// JSON metadata. Authentication is the app's: <see cref="AddVirtualItCompanyJwtBearer"/>, or any scheme whose users
    /// carry a <c>sub</c> (or name identifier) claim and the roles. The app calls <c>UseAuthentication</c>,
    /// <c>UseAuthorization</c> and <c>UseRateLimiter</c>, in that order, before the endpoints.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code, after configuration is bound.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddVirtualItCompanyApi(this IServiceCollection services, Action<VirtualItCompanyApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<VirtualItCompanyApiOptions>();
        options.Configure<IServiceProvider>((o, sp) =>
        {
            if (sp.GetService<IConfiguration>()?.GetSection(VirtualItCompanyApiOptions.SectionName) is { } section && section.Exists())
            {
                section.Bind(o);
            }
        });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VirtualItCompanyApiOptions>, ProblemsValidator<VirtualItCompanyApiOptions>>());
        options.ValidateOnStart();

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        services.AddAuthorizationBuilder()
            .AddPolicy(VirtualItCompanyRoles.ClientPolicy, p => p.RequireAuthenticatedUser().RequireRole(VirtualItCompanyRoles.Client, VirtualItCompanyRoles.Admin))
            .AddPolicy(VirtualItCompanyRoles.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(VirtualItCompanyRoles.Admin));

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<VirtualItCompanyApiOptions>>((limiter, api) =>
        {
            var o = api.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(VirtualItCompanyRoles.SubmitRateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                "submit:" + PartitionKey(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = o.SubmitPermitLimit, Window = o.SubmitWindow, QueueLimit = 0 }));
            limiter.AddPolicy(VirtualItCompanyRoles.RequestRateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                "requests:" + PartitionKey(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = o.RequestPermitLimit, Window = o.RequestWindow, QueueLimit = 0 }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests", "The rate limit for this user was reached; nothing was done. Try again later (see Retry-After).").ConfigureAwait(false);
            };
        });
        return services;
    }

    /// <summary>
    /// Adds JWT bearer authentication as the default scheme, checked against <see cref="VirtualItCompanyJwtOptions"/>
    /// (<c>VirtualItCompany:Jwt</c>, validated at start): the issuer, the audience, the lifetime (<c>exp</c> required,
    /// <c>nbf</c> honoured), the signature with the configured key, and the algorithm (HS256 only; unsigned tokens are refused).
    /// Roles are read from the <c>role</c> claim and the user id from <c>sub</c>. On the project event streams only, a
    /// browser's <c>EventSource</c> or <c>WebSocket</c> (which cannot send headers) may pass the token as the
    /// <c>access_token</c> query parameter (a GET asking for <c>text/event-stream</c> whose path ends in <c>/events</c>, or a
    /// WebSocket upgrade whose path ends in <c>/events/ws</c>, without an Authorization header).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code, after configuration is bound.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddVirtualItCompanyJwtBearer(this IServiceCollection services, Action<VirtualItCompanyJwtOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<VirtualItCompanyJwtOptions>();
        options.Configure<IServiceProvider>((o, sp) =>
        {
            if (sp.GetService<IConfiguration>()?.GetSection(VirtualItCompanyJwtOptions.SectionName) is { } section && section.Exists())
            {
                section.Bind(o);
            }
        });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VirtualItCompanyJwtOptions>, ProblemsValidator<VirtualItCompanyJwtOptions>>());
        options.ValidateOnStart();
        services.TryAddSingleton<DevelopmentTokenIssuer>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<VirtualItCompanyJwtOptions>>((bearer, jwt) =>
        {
            var o = jwt.Value;
            bearer.MapInboundClaims = false;
            bearer.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = o.Issuer,
                ValidateAudience = true,
                ValidAudience = o.Audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = o.ClockSkew,
                ValidateIssuerSigningKey = true,
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(o.SigningKey)),
                RequireSignedTokens = true,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                NameClaimType = "sub",
                RoleClaimType = "role",
            };
            bearer.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    var request = context.Request;
                    bool eventSource = request.Path.Value?.EndsWith("/events", StringComparison.Ordinal) == true
                        && request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
                    bool webSocket = request.Path.Value?.EndsWith("/events/ws", StringComparison.Ordinal) == true && context.HttpContext.WebSockets.IsWebSocketRequest;
                    if (HttpMethods.IsGet(request.Method)
                        && (eventSource || webSocket)
                        && request.Headers.Authorization.Count == 0
                        && request.Query["access_token"] is { Count: 1 } token)
                    {
                        context.Token = token.ToString();
                    }

                    return Task.CompletedTask;
                },
            };
        });
        return services;
    }

    /// <summary>
    /// Adds webhooks for workflow tools: per-client subscriptions (<c>{prefix}/webhooks</c>), signed deliveries of stage
    /// changes, questions, completion and cancellation from a durable outbox, retried with backoff by a hosted service that
    /// stops with the host, an inbound endpoint to answer or approve, and the admin view of deliveries. Options come from
    /// <c>VirtualItCompany:Webhooks</c> (validated at start); with <see cref="VirtualItCompanyWebhookOptions.SqliteConnectionString"/>
    /// subscriptions and deliveries survive a restart, otherwise they are kept in memory.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code, after configuration is bound.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddVirtualItCompanyWebhooks(this IServiceCollection services, Action<VirtualItCompanyWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<VirtualItCompanyWebhookOptions>();
        options.Configure<IServiceProvider>((o, sp) =>
        {
            if (sp.GetService<IConfiguration>()?.GetSection(VirtualItCompanyWebhookOptions.SectionName) is { } section && section.Exists())
            {
                section.Bind(o);
            }
        });
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VirtualItCompanyWebhookOptions>, ProblemsValidator<VirtualItCompanyWebhookOptions>>());
        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookStore>(sp => sp.GetRequiredService<IOptions<VirtualItCompanyWebhookOptions>>().Value.SqliteConnectionString is { } connection
            ? new SqliteWebhookStore(connection)
            : new InMemoryWebhookStore());
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false }); // a redirect would send the signed body elsewhere
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, WebhookDispatcher>());
        return services;
    }

    // Signed-in users by id; others (the token endpoint) by address.
    private static string PartitionKey(HttpContext http) =>
        Ownership.UserId(http.User) is { } user ? "user:" + user : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private sealed class ProblemsValidator<TOptions> : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options) =>
            (options switch
            {
                VirtualItCompanyApiOptions api => api.GetProblems(),
                VirtualItCompanyJwtOptions jwt => jwt.GetProblems(),
                VirtualItCompanyWebhookOptions webhooks => webhooks.GetProblems(),
                _ => [],
            }) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
