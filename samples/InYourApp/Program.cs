// README:start
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany;   // AddVirtualItCompany, AddOfflineModel (package VirtualItCompany.Providers.Offline), DeliverAsync

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddVirtualItCompany(o => o.DefaultBudget = 25m)
    .AddOfflineModel()          // the offline stand-in (no AI); add real models with AddModel(profile, client)
    .AddWorker();               // runs the workers in this host

using var app = builder.Build();
await app.StartAsync();
var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping; // Ctrl+C, SIGTERM
var company = app.Services.GetRequiredService<IDeliveryCompany>();
try
{
    // Submits the brief and plays the client until the project ends: answers questions, decides reviews.
    var project = await company.DeliverAsync(
        new ProjectBrief { Title = "Recipe box", Description = "A recipe box for a small cafe." },
        new ClientHandlers
        {
            OnEvent = e => Console.WriteLine(e.Description),
            Answer = (question, ct) => ValueTask.FromResult("It lists recipes. It shows one recipe."),
            Review = (review, ct) => ValueTask.FromResult(ReviewDecision.Approve()),
        },
        stopping);
    Console.WriteLine($"{project.Brief.Title}: {project.Status}");
    return project.Status == ProjectStatus.Completed ? 0 : 1;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.WriteLine("Stopping; the project stays as it is.");
    return 1;
}
finally
{
    await app.StopAsync();
}
// README:end
