// The worker host: a generic host running the company's workers against a database that other processes share.
//   WorkerHost [run]        work until Ctrl+C / SIGTERM (items in progress get VirtualItCompany:ShutdownGracePeriod to finish)
//   WorkerHost submit <n>   submit n briefs to the shared database and exit
//   WorkerHost status       print the projects by status, the queue depth and the spend, and exit
//   WorkerHost wait         wait until every project has ended or needs a human; exit 0 when all completed
//   WorkerHost health       run the health checks once; exit 0 when healthy, 1 otherwise
// Settings: appsettings.json, then environment variables (WorkerHost__Model=openai), then the command line
// (--WorkerHost:Model=openai, --VirtualItCompany:Workers=8). See README.md.
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VirtualItCompany;
using VirtualItCompany.Providers.Offline;
using VirtualItCompany.Runtime;
using WorkerHost;

string verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0].ToLowerInvariant() : "run";
string[] settings = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
int submitCount = 0;
switch (verb)
{
    case "submit":
        if (settings.Length == 0 || !int.TryParse(settings[0], NumberStyles.None, CultureInfo.InvariantCulture, out submitCount) || submitCount is < 1 or > 100_000)
        {
            Console.Error.WriteLine("Usage: WorkerHost submit <count> [--Key=Value ...]; count is a number from 1 to 100000.");
            return 2;
        }

        settings = settings[1..];
        break;
    case "run" or "status" or "wait" or "health":
        break;
    default:
        Console.Error.WriteLine($"Unknown command '{verb}'. Use: run (the default), submit <count>, status, wait, health.");
        return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = settings, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});

var options = builder.Configuration.GetSection(WorkerHostOptions.SectionName).Get<WorkerHostOptions>() ?? new WorkerHostOptions();
var problems = options.GetProblems();
if (problems.Count > 0)
{
    Console.Error.WriteLine("The worker host's settings are not valid:\n  " + string.Join("\n  ", problems));
    return 2;
}

// Storage: one SQLite file (processes on one machine) or PostgreSQL (many machines); optionally the work delivered
// through Redis Streams on top of it (the store stays authoritative).
var company = builder.Services.AddVirtualItCompany();
_ = options.Is(options.Storage, "PostgreSql")
    ? company.UsePostgreSqlStorage()   // VirtualItCompany:Storage:PostgreSql:ConnectionString, or ConnectionStrings:VirtualItCompany
    : company.UseSqliteStorage();      // VirtualItCompany:Storage:Sqlite:ConnectionString, or ConnectionStrings:VirtualItCompany
if (options.Is(options.Queue, "Redis"))
{
    company.UseRedisQueue();           // VirtualItCompany:Storage:Redis:Configuration; refused at start by a store that cannot lease by id
}

switch (options.Model.ToLowerInvariant())
{
    case "offline":
        // The deterministic stand-in (no AI), optionally priced and slowed down like a real model.
        var offline = new OfflineModelOptions { ResponseDelay = options.OfflineResponseDelay };
        company.AddModel(OfflineModel.Profile with { Pricing = new ModelPricing(options.OfflineInputPrice, options.OfflineOutputPrice) }, _ => OfflineModel.CreateChatClient(offline));
        break;
    case "openai":
        company.AddOpenAI();
        break;
    case "anthropic":
        company.AddAnthropic();
        break;
    case "ollama":
        company.AddOllama();
        break;
    case "groq":
        company.AddGroq();
        break;
}

if (options.Is(options.Commands, "Simulated"))
{
    SimulatedCommands.Install(builder.Services);
}

builder.Services.AddOptions<WorkerHostOptions>().BindConfiguration(WorkerHostOptions.SectionName);
builder.Services.AddWorkerHostHealthChecks();
var grace = builder.Configuration.GetValue<TimeSpan?>("VirtualItCompany:ShutdownGracePeriod") ?? TimeSpan.Zero;
// The host waits for the workers' grace period, then for the released items and deployments to stop.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = grace + TimeSpan.FromSeconds(15));
if (verb == "run")
{
    company.AddWorker();
    builder.Services.AddHostedService<HealthReporter>();
    if (options.PlayClient)
    {
        builder.Services.AddHostedService<ClientPlayer>();
    }
}

using var host = builder.Build();
var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WorkerHost");
try
{
    await host.StartAsync();
}
catch (Exception e) when (e is IOException or System.Data.Common.DbException or OptionsValidationException or InvalidOperationException)
{
    // A database that cannot be opened, or settings the company refuses: say what to fix.
    Console.Error.WriteLine($"The worker host could not start: {e.GetType().Name}: {e.Message}");
    return verb == "health" ? 1 : 2;
}

var delivery = host.Services.GetRequiredService<IDeliveryCompany>();
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
int exit = 0;
try
{
    switch (verb)
    {
        case "run":
            var company0 = host.Services.GetRequiredService<IOptions<CompanyOptions>>().Value;
            log.LogInformation(
                "Worker host {WorkerId} (process {Pid}): {Workers} workers, lease {Lease}, shutdown grace {Grace}; storage {Storage}, work delivered by {Queue}; model {Model}{Stand}; commands {Commands}{Client}.",
                host.Services.GetRequiredService<WorkDispatcher>().WorkerId, Environment.ProcessId, company0.Workers, company0.LeaseDuration, company0.ShutdownGracePeriod, options.Storage, options.Is(options.Queue, "Redis") ? "Redis Streams" : "the database's queue", options.Model,
                options.Is(options.Model, "offline") ? " (offline stand-in: no AI, deterministic answers)" : "",
                options.Is(options.Commands, "Simulated") ? "SIMULATED (nothing is built or run; for demonstrations and tests)" : "sandboxed",
                options.PlayClient ? "; playing every project's client (approves reviews, answers questions)" : "");
            await host.WaitForShutdownAsync();
            log.LogInformation("Worker host stopped.");
            break;

        case "submit":
            string batch = DateTimeOffset.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
            for (int i = 1; i <= submitCount; i++)
            {
                var project = await delivery.SubmitAsync(new ProjectBrief
                {
                    Title = $"Service {i:000} of batch {batch}",
                    Description = $"A small service number {i} that keeps a list of items for a team.",
                    AcceptanceCriteria = [$"It lists the items of service {i}.", $"It adds an item to service {i}."],
                    Budget = options.SubmitBudget,
                }, stopping);
                Console.WriteLine($"submitted {project.Id} {project.Brief.Title}");
            }

            break;

        case "status":
            Console.WriteLine(await StatusAsync(host.Services, stopping));
            break;

        case "wait":
            exit = await WaitAsync(host.Services, options.WaitTimeout, stopping);
            break;

        case "health":
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(stopping);
            Console.WriteLine(WorkerHostHealth.Describe(report));
            exit = report.Status == HealthStatus.Healthy ? 0 : 1;
            break;
    }
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    exit = 1; // Ctrl+C before the command finished
}

if (verb != "run")
{
    await host.StopAsync();
}

return exit;

static async Task<string> StatusAsync(IServiceProvider services, CancellationToken cancellationToken)
{
    var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
    await foreach (var project in services.GetRequiredService<IDeliveryCompany>().ListAsync(cancellationToken: cancellationToken))
    {
        string key = project.Status == ProjectStatus.WaitingForClient && project.PendingInput is { } input ? $"WaitingForClient({input.Kind})" : project.Status.ToString();
        counts[key] = counts.GetValueOrDefault(key) + 1;
    }

    long depth = await services.GetRequiredService<IWorkQueue>().CountAsync(cancellationToken);
    var spend = await services.GetRequiredService<IBudgetAccount>().GetBalanceAsync(BudgetScope.Company, cancellationToken);
    return $"projects: {counts.Values.Sum()} ({(counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}")))}); queue depth {depth}; company spend ${spend.Spent:0.######} (reserved ${spend.Reserved:0.######}, limit {(spend.Limit is { } l ? "$" + l.ToString("0.##", CultureInfo.InvariantCulture) : "none")})";
}

static async Task<int> WaitAsync(IServiceProvider services, TimeSpan timeout, CancellationToken cancellationToken)
{
    var time = services.GetRequiredService<TimeProvider>();
    var deadline = time.GetUtcNow() + timeout;
    string last = "";
    while (true)
    {
        int open = 0, completed = 0, total = 0;
        await foreach (var project in services.GetRequiredService<IDeliveryCompany>().ListAsync(cancellationToken: cancellationToken))
        {
            total++;
            completed += project.Status == ProjectStatus.Completed ? 1 : 0;
            // Still moving: active, or waiting for a review or an answer (a client player may give it). Paused, cancelled,
            // waiting for budget or for a human's decision on an escalation: a human must act.
            open += project.Status == ProjectStatus.Active || (project.Status == ProjectStatus.WaitingForClient && project.PendingInput?.Kind is ClientInputKind.Review or ClientInputKind.Clarification) ? 1 : 0;
        }

        string status = await StatusAsync(services, cancellationToken);
        if (status != last)
        {
            Console.WriteLine($"{time.GetUtcNow():HH:mm:ss} {status}");
            last = status;
        }

        if (open == 0)
        {
            return completed == total ? 0 : 1;
        }

        if (time.GetUtcNow() > deadline)
        {
            Console.Error.WriteLine($"{open} project(s) still open after {timeout}.");
            return 1;
        }

        await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
    }
}
