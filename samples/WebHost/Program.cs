using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VirtualItCompany;
using VirtualItCompany.AspNetCore;
using VirtualItCompany.Lifecycle;
using WebHost;

var builder = WebApplication.CreateBuilder(args);

// The company: SQLite (VirtualItCompany:Storage:Sqlite:ConnectionString) and the offline model unless configured otherwise.
var company = builder.Services.AddVirtualItCompany()
    .UseSqliteStorage()
    .AddOfflineModel();
if (builder.Configuration.GetValue("WebHost:RunWorkers", true))
{
    company.AddWorker(); // the agents work in this process; false for an API-only node
}

// README:start
// The API: JWT bearer (VirtualItCompany:Jwt), roles, ownership, rate limits (VirtualItCompany:Api), problem details.
builder.Services.AddVirtualItCompanyApi();
builder.Services.AddVirtualItCompanyJwtBearer();
// Webhooks for workflow tools: signed deliveries from a durable outbox (VirtualItCompany:Webhooks).
builder.Services.AddVirtualItCompanyWebhooks();
// README:end
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

var app = builder.Build();

// README:start
app.UseExceptionHandler();
app.UseStatusCodePages();   // 401, 403, 404 without a body become problem details too
app.UseVirtualItCompanySecurityHeaders();
app.UseDefaultFiles();
app.UseStaticFiles();       // the portal (index.html) and the dashboard (admin.html): vendored, no CDN
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseWebSockets();        // the events over a WebSocket (/api/projects/{id}/events/ws)

app.MapOpenApi();           // /openapi/v1.json
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapVirtualItCompany("/api");
// README:end
// The lifecycle as Mermaid text, drawn by the dashboard (any signed-in user: it is the same for every project).
app.MapGet("/lifecycle.mmd", (LifecycleEngine lifecycle) => Results.Text(lifecycle.ToMermaid(), "text/plain; charset=utf-8"))
    .RequireAuthorization(VirtualItCompanyRoles.ClientPolicy);

await app.RunAsync();       // stops on Ctrl+C and SIGTERM: requests drain, workers and deployments stop

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
