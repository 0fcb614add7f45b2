#:package VirtualItCompany@0.2.0-preview.1
#:package VirtualItCompany.Providers.Offline@0.2.0-preview.1
#:package Microsoft.Extensions.Hosting@10.0.15
#:property ManagePackageVersionsCentrally=false
#:property RestoreAdditionalProjectSources=$(MSBuildProjectDirectory)/../../artifacts/packages

// A file-based app (dotnet run app.cs): the team delivers one project offline, then the app exits.
// The two #:property lines only matter inside this repository (its central package versions, the packed packages).
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtualItCompany;
using VirtualItCompany.Providers.Offline;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddVirtualItCompany().AddOfflineModel().AddWorker();
using var app = builder.Build();
await app.StartAsync();
var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

var company = app.Services.GetRequiredService<IDeliveryCompany>();
var project = await company.SubmitAsync(new ProjectBrief { Title = "Recipe box", Description = "A recipe box for a small cafe.", AcceptanceCriteria = ["It lists recipes."] });
try
{
    await foreach (var e in company.WatchAsync(project.Id, cancellationToken: stopping))
    {
        Console.WriteLine(e.Description);
        if (e is ClientInputRequested { Kind: ClientInputKind.Review })
            await company.ApproveAsync(project.Id, cancellationToken: stopping);
        else if (e is ClientInputRequested { Kind: ClientInputKind.Clarification or ClientInputKind.Escalation })
            await company.AnswerAsync(project.Id, "Go ahead with your best judgement.", stopping);
        else if (e is ProjectPaused)
            break;
    }
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
}

var final = await company.GetAsync(project.Id);
Console.WriteLine($"{final.Brief.Title}: {final.Status}");
await app.StopAsync();
return final.Status == ProjectStatus.Completed ? 0 : 1;
