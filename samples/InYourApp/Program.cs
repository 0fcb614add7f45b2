// README:start
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany;                       // AddVirtualItCompany, IDeliveryCompany, ProjectBrief, events
using VirtualItCompany.Providers.Offline;     // AddOfflineModel (package VirtualItCompany.Providers.Offline)

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddVirtualItCompany(o => o.DefaultBudget = 25m)
    .AddOfflineModel()          // the offline stand-in; add real models with AddModel(profile, client)
    .AddWorker();               // runs the workers in this host

using var app = builder.Build();
await app.StartAsync();
var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping; // Ctrl+C, SIGTERM

var company = app.Services.GetRequiredService<IDeliveryCompany>();
var project = await company.SubmitAsync(new ProjectBrief { Title = "Recipe box", Description = "A recipe box for a small cafe." });
try
{
    await foreach (var e in company.WatchAsync(project.Id, cancellationToken: stopping))   // ends when the project ends
    {
        Console.WriteLine(e.Description);
        if (e is ClientInputRequested { Kind: ClientInputKind.Review })
            await company.ApproveAsync(project.Id, cancellationToken: stopping);
        else if (e is ClientInputRequested { Kind: ClientInputKind.Clarification or ClientInputKind.Escalation })
            await company.AnswerAsync(project.Id, "It lists recipes. It shows one recipe.", stopping);
        else if (e is ProjectPaused)
            break;                                                         // needs a human: stop watching
    }
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.WriteLine("Stopping; the project stays as it is.");
}

var final = await company.GetAsync(project.Id);
Console.WriteLine($"{final.Brief.Title}: {final.Status}");
await app.StopAsync();
return final.Status == ProjectStatus.Completed ? 0 : 1;
// README:end
