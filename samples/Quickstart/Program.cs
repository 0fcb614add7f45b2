using Microsoft.Data.Sqlite;
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

var brief = parsed.Resume ? null : new ProjectBrief
{
    Title = BriefText.TitleOf(parsed.Brief),
    Description = parsed.Brief,
    AcceptanceCriteria = parsed.Criteria,
    Budget = parsed.Budget,
    Client = Environment.UserName,
};
if (brief?.GetProblems() is { Count: > 0 } problems)
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

    o.AllowUnsandboxedCommands = parsed.Unsandboxed;
});
var company = builder.Services.AddVirtualItCompany(o =>
    {
        o.Workers = 4;
        if (parsed.Database is not null)
        {
            // Kept in a file, a run may be resumed after a crash: the crashed run's items come back when their leases lapse.
            o.LeaseDuration = TimeSpan.FromSeconds(10);
        }
    })
    .AddWorker();
var choices = ProviderChoice.Resolve(parsed.Providers, builder.Configuration, out var providerError);
if (providerError is not null)
{
    Console.Error.WriteLine("error: " + providerError);
    return 2;
}

foreach (var choice in choices)
{
    choice.AddTo(company);
}
string? database = parsed.Database is null ? null : Path.GetFullPath(parsed.Database);
if (database is not null)
{
    company.UseSqliteStorage(new SqliteConnectionStringBuilder { DataSource = database }.ToString());
}

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
List<ModelProfile> models;
try
{
    // A provider without its key (or with a bad setting) is refused here, before anything runs: never a silent offline run.
    models = [.. host.Services.GetServices<ModelRegistration>().Select(r => r.Profile)];
    foreach (var choice in choices)
    {
        if (await choice.CheckReachableAsync(builder.Configuration, stop.Token) is { } unreachable)
        {
            throw new OptionsValidationException(choice.Name, typeof(ModelProviderOptions), [unreachable]);
        }
    }
}
catch (OptionsValidationException invalid)
{
    AnsiConsole.MarkupLine("[red]The model provider cannot be used:[/]");
    foreach (var failure in invalid.Failures)
    {
        AnsiConsole.MarkupLine($"  - {Markup.Escape(failure)}");
    }

    return 2;
}

AnsiConsole.Write(new Rule("[bold]VirtualItCompany quickstart[/]").LeftJustified());
AnsiConsole.MarkupLine(brief is null ? "Resuming the unfinished projects" : $"Brief: [bold]{Markup.Escape(brief.Title)}[/]");
AnsiConsole.MarkupLine(database is null
    ? "Storage: [grey]in memory (add --db <file> to keep the run and continue it after Ctrl+C or a crash)[/]"
    : $"Storage: [bold]{Markup.Escape(database)}[/] [grey](continue this run after Ctrl+C or a crash: --db {Markup.Escape(parsed.Database!)} --resume)[/]");
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

var delivery = host.Services.GetRequiredService<IDeliveryCompany>();
var started = TimeProvider.System.GetTimestamp();
var projects = new List<ProjectSnapshot>();
if (brief is not null)
{
    projects.Add(await delivery.SubmitAsync(brief, stop.Token));
}
else
{
    await foreach (var project in delivery.ListAsync(cancellationToken: stop.Token))
    {
        if (project.IsEnded)
        {
            continue;
        }

        AnsiConsole.MarkupLine($"Resuming [bold]{Markup.Escape(project.Brief.Title)}[/] ({project.Id}): {project.Status} in {project.Stage}");
        projects.Add(project.Status == ProjectStatus.Paused ? await delivery.ResumeAsync(project.Id, stop.Token) : project);
    }

    if (projects.Count == 0)
    {
        AnsiConsole.MarkupLine($"Nothing to resume: every project in {Markup.Escape(database!)} has ended.");
        await host.StopAsync(CancellationToken.None);
        return 0;
    }
}

// Each project's events from its first (a resumed project's history, then what happens now), and its client played.
var finals = await Task.WhenAll(projects.Select(project => FollowAsync(project)));
foreach (var final in finals)
{
    var workspace = await host.Services.GetRequiredService<IWorkspaceProvider>().GetWorkspaceAsync(final.Id, CancellationToken.None);
    var history = await host.Services.GetRequiredService<IProjectStore>().ReadEventsAsync(final.Id).ToListAsync();
    Summary.Write(final, history, workspace.RootPath, host.Services.GetRequiredService<LifecycleEngine>(), TimeProvider.System.GetElapsedTime(started));
}

// Say plainly whether the agents' builds, tests and deployments ran in the OS sandbox.
if (host.Services.GetRequiredService<IWorkspaceProvider>() is LocalWorkspaceProvider local)
{
    AnsiConsole.MarkupLine(local.IsSandboxed
        ? $"[green]Sandboxed:[/] {Markup.Escape(local.SandboxDescription)}"
        : $"[yellow]Not sandboxed:[/] {Markup.Escape(local.SandboxDescription)}");
}

if (database is not null && finals.Any(p => !p.IsEnded))
{
    AnsiConsole.MarkupLine($"[yellow]To continue: dotnet run --project samples/Quickstart -- --db {Markup.Escape(parsed.Database!)} --resume[/]");
}

await host.StopAsync(CancellationToken.None);
return finals.All(p => p.Status == ProjectStatus.Completed) ? 0 : 1;

async Task<ProjectSnapshot> FollowAsync(ProjectSnapshot project)
{
    var view = new ProgressView(project.Brief, projects.Count > 1 ? project.Brief.Title : null);
    var client = new ClientDesk(delivery, auto, project.Brief);
    try
    {
        await foreach (var e in delivery.WatchAsync(project.Id, cancellationToken: stop.Token))
        {
            view.Show(e);
            if (e is ProjectPaused && (await delivery.GetAsync(project.Id, stop.Token)).Status == ProjectStatus.Paused)
            {
                AnsiConsole.MarkupLine("[yellow]The project is paused and needs a human; the quickstart stops following it.[/]");
                break;
            }

            if (e is ClientInputRequested request && await delivery.GetAsync(project.Id, stop.Token) is { Status: ProjectStatus.WaitingForClient } waiting && waiting.PendingInput?.Version == request.Version)
            {
                await client.RespondAsync(project.Id, request, stop.Token);
            }
        }
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
    {
        AnsiConsole.MarkupLine("[yellow]Stopped (Ctrl+C or SIGTERM); the project was left as it was.[/]");
    }

    return await delivery.GetAsync(project.Id, CancellationToken.None);
}
