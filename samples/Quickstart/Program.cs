using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quickstart;
using Spectre.Console;
using VirtualItCompany;
using VirtualItCompany.Lifecycle;
using VirtualItCompany.Providers.Offline;
using VirtualItCompany.Workspace;

var parsed = QuickstartArguments.Parse(args, out var usageError);
if (parsed is null)
{
    if (!string.IsNullOrEmpty(usageError))
    {
        Console.Error.WriteLine("error: " + usageError);
        Console.Error.WriteLine();
    }

    Console.Error.WriteLine(QuickstartArguments.Usage);
    return usageError == "" ? 0 : 2;
}

var brief = new ProjectBrief
{
    Title = BriefText.TitleOf(parsed.Brief),
    Description = parsed.Brief,
    AcceptanceCriteria = parsed.Criteria,
    Budget = parsed.Budget,
    Client = Environment.UserName,
};
if (brief.GetProblems() is { Count: > 0 } problems)
{
    Console.Error.WriteLine("error: " + string.Join(" ", problems));
    Console.Error.WriteLine();
    Console.Error.WriteLine(QuickstartArguments.Usage);
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.Configure<WorkspaceOptions>(o =>
{
    if (parsed.WorkspaceRoot is not null)
    {
        o.RootDirectory = Path.GetFullPath(parsed.WorkspaceRoot);
    }
});
builder.Services.AddVirtualItCompany(o => o.Workers = 4)
    .AddOfflineModel()
    .AddWorker();

using var host = builder.Build();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// SIGTERM (docker stop, systemd) stops the run like Ctrl+C: the host's lifetime reports it, and the summary is still written.
var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
using var onStopping = lifetime.ApplicationStopping.Register(() => stop.Cancel());
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

bool auto = parsed.AutoApprove || Console.IsInputRedirected;
var models = host.Services.GetServices<ModelRegistration>().Select(r => r.Profile).ToList();
AnsiConsole.Write(new Rule("[bold]VirtualItCompany quickstart[/]").LeftJustified());
AnsiConsole.MarkupLine($"Brief: [bold]{Markup.Escape(brief.Title)}[/]");
foreach (var profile in models)
{
    string label = profile.Provider == OfflineModel.ProviderName ? " - [yellow]offline model, no AI[/]: a deterministic stand-in that lets the team run without keys" : "";
    AnsiConsole.MarkupLine($"Model: [yellow]{Markup.Escape(profile.Id)}[/] ({Markup.Escape(profile.Provider)}){label}");
}

AnsiConsole.MarkupLine(models.Count == 1
    ? "Routing: [grey]one model is registered, so it serves every call (still within the project's budget); with more (AddModel or a provider package), each call goes to the cheapest that can do it, and the progress lines say why.[/]"
    : "Routing: [grey]each call goes to the cheapest model that can do it; the progress lines say why.[/]");
AnsiConsole.MarkupLine(auto ? "Client: [grey]answers and approvals are automatic (--auto-approve or redirected input)[/]" : "Client: [grey]you will be asked when the team needs you[/]");
AnsiConsole.WriteLine();

try
{
    await host.StartAsync(stop.Token);
}
catch (OptionsValidationException invalid)
{
    // Problems found at start (an unusable workspace folder, a stage without an agent...) are the user's to fix: say them all.
    AnsiConsole.MarkupLine("[red]The company cannot start:[/]");
    foreach (var failure in invalid.Failures)
    {
        AnsiConsole.MarkupLine($"  - {Markup.Escape(failure)}");
    }

    return 2;
}

var company = host.Services.GetRequiredService<IDeliveryCompany>();
var started = TimeProvider.System.GetTimestamp();
var project = await company.SubmitAsync(brief, stop.Token);
var view = new ProgressView(project.Brief);
var client = new ClientDesk(company, auto, brief);
try
{
    await foreach (var e in company.WatchAsync(project.Id, cancellationToken: stop.Token))
    {
        view.Show(e);
        if (e is ProjectPaused)
        {
            AnsiConsole.MarkupLine("[yellow]The project is paused and needs a human; the quickstart stops here.[/]");
            break;
        }

        if (e is ClientInputRequested request)
        {
            await client.RespondAsync(project.Id, request, stop.Token);
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
{
    AnsiConsole.MarkupLine("[yellow]Stopped (Ctrl+C or SIGTERM); the project was left as it was.[/]");
}

var final = await company.GetAsync(project.Id, CancellationToken.None);
var workspace = await host.Services.GetRequiredService<IWorkspaceProvider>().GetWorkspaceAsync(project.Id, CancellationToken.None);
var history = await host.Services.GetRequiredService<IProjectStore>().ReadEventsAsync(project.Id).ToListAsync();
Summary.Write(final, history, workspace.RootPath, host.Services.GetRequiredService<LifecycleEngine>(), TimeProvider.System.GetElapsedTime(started));

await host.StopAsync(CancellationToken.None);
return final.Status == ProjectStatus.Completed ? 0 : 1;
