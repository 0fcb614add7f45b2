// A worker over a SQLite file, for the crash test: it makes sure N projects exist, then works and plays their client until
// every project has ended, and exits 0. The test kills it with SIGKILL at random points and starts it again.
// Usage: VirtualItCompany.CrashWorker --db <file> --workspaces <dir> --projects <n>
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtualItCompany;
using VirtualItCompany.CrashWorker;
using VirtualItCompany.Providers.Offline;
using VirtualItCompany.Workspace;

string db = Arg("--db");
string workspaces = Arg("--workspaces");
int projects = int.Parse(Arg("--projects"), System.Globalization.CultureInfo.InvariantCulture);

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.Configure<WorkspaceOptions>(o => o.RootDirectory = workspaces);
var company = builder.Services.AddVirtualItCompany(o =>
    {
        o.Workers = 4;
        // Short leases so that a killed worker's items come back soon; crashes count as attempts, so allow many.
        o.LeaseDuration = TimeSpan.FromSeconds(2);
        o.MaxAttempts = 100;
        o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        o.PollInterval = TimeSpan.FromMilliseconds(100);
    })
    // The offline stand-in (no AI), priced like a small paid model so that every charge is real money in the budget.
    .AddModel(OfflineModel.Profile with { Pricing = new ModelPricing(1m, 2m) }, _ => OfflineModel.CreateChatClient())
    .UseSqliteStorage("Data Source=" + db)
    .AddWorker();
StubCommands.Install(builder.Services);

using var host = builder.Build();
await host.StartAsync();
var delivery = host.Services.GetRequiredService<IDeliveryCompany>();

var titles = new HashSet<string>(StringComparer.Ordinal);
await foreach (var project in delivery.ListAsync())
{
    titles.Add(project.Brief.Title);
}

for (int i = 1; i <= projects; i++)
{
    string title = $"Crash project {i:00}";
    if (!titles.Contains(title))
    {
        await delivery.SubmitAsync(new ProjectBrief
        {
            Title = title,
            Description = $"A small service number {i} for the crash test.",
            AcceptanceCriteria = [$"It lists the items of service {i}.", $"It adds an item to service {i}."],
            Budget = 10m,
        });
    }
}

var unfinished = new List<ProjectId>();
await foreach (var project in delivery.ListAsync())
{
    if (project.Status is not (ProjectStatus.Completed or ProjectStatus.Cancelled))
    {
        unfinished.Add(project.Id);
    }
}

Console.WriteLine($"worker {Environment.ProcessId}: {unfinished.Count} unfinished project(s)");
var ended = await Task.WhenAll(unfinished.Select(id => delivery.ContinueAsync(id)));
await host.StopAsync();
Console.WriteLine($"worker {Environment.ProcessId}: done; " + string.Join(", ", ended.GroupBy(p => p.Status).Select(g => $"{g.Count()} {g.Key}")));
return ended.All(p => p.Status == ProjectStatus.Completed) ? 0 : 1;

string Arg(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"{name} <value> is required.");
}
