using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using VirtualItCompany;
using VirtualItCompany.Providers.Offline;

bool smoke = args.Contains("--smoke");
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddVirtualItCompany()
    .AddOfflineModel()          // the offline stand-in; add real models with AddModel(profile, client)
    .AddWorker();               // the workers run in this web app
if (smoke)
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

var app = builder.Build();

app.MapPost("/projects", async (BriefRequest request, IDeliveryCompany company) =>
{
    var brief = new ProjectBrief
    {
        Title = request.Title,
        Description = request.Description,
        AcceptanceCriteria = request.AcceptanceCriteria ?? [],
        Budget = request.Budget,
    };
    try
    {
        var project = await company.SubmitAsync(brief);
        return Results.Created($"/projects/{project.Id}", ProjectView.Of(project));
    }
    catch (InvalidBriefException e)
    {
        return Results.BadRequest(e.Message);
    }
});

app.MapGet("/projects/{id}", (string id, IDeliveryCompany company) =>
    Client(id, p => company.GetAsync(p)));

// The client's side of the lifecycle: answer the team's question, approve the staging deployment.
app.MapPost("/projects/{id}/answers", (string id, AnswerRequest answer, IDeliveryCompany company) =>
    Client(id, p => company.AnswerAsync(p, answer.Text)));
app.MapPost("/projects/{id}/approval", (string id, IDeliveryCompany company) =>
    Client(id, p => company.ApproveAsync(p)));

if (!smoke)
{
    await app.RunAsync();   // stops on Ctrl+C and SIGTERM
    return 0;
}

// --smoke: submit a brief over HTTP, play the client until the project ends, then stop.
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
using var http = new HttpClient { BaseAddress = new Uri(address) };
var created = await http.PostAsJsonAsync("/projects", new BriefRequest("Recipe box", "A recipe box for a small cafe.", ["It lists recipes.", "It shows one recipe."], 25m));
created.EnsureSuccessStatusCode();
var view = (await created.Content.ReadFromJsonAsync<ProjectView>())!;
Console.WriteLine($"Submitted {view.Id} at {address}");
using var timeout = CancellationTokenSource.CreateLinkedTokenSource(app.Lifetime.ApplicationStopping);
timeout.CancelAfter(TimeSpan.FromMinutes(5));
while (view.Status is nameof(ProjectStatus.Active) or nameof(ProjectStatus.WaitingForClient) && !timeout.IsCancellationRequested)
{
    if (view.Waiting == nameof(ClientInputKind.Review))
        (await http.PostAsync($"/projects/{view.Id}/approval", null)).EnsureSuccessStatusCode();
    else if (view.Waiting is not null)
        (await http.PostAsJsonAsync($"/projects/{view.Id}/answers", new AnswerRequest("Go ahead with your best judgement."))).EnsureSuccessStatusCode();

    await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
    var next = (await http.GetFromJsonAsync<ProjectView>($"/projects/{view.Id}"))!;
    if (next.Stage != view.Stage || next.Waiting != view.Waiting)
        Console.WriteLine($"{next.Stage}: {next.Status}{(next.Waiting is null ? "" : $", waiting for {next.Waiting}")}");
    view = next;
}

await app.StopAsync();
return view.Status == nameof(ProjectStatus.Completed) ? 0 : 1;

static async Task<IResult> Client(string id, Func<ProjectId, Task<ProjectSnapshot>> action)
{
    try
    {
        return Results.Ok(ProjectView.Of(await action(new ProjectId(id))));
    }
    catch (ProjectNotFoundException)
    {
        return Results.NotFound();
    }
    catch (InvalidProjectOperationException e)
    {
        return Results.Conflict(e.Message);
    }
}

record BriefRequest(string Title, string Description, string[]? AcceptanceCriteria, decimal? Budget);

record AnswerRequest(string Text);

record ProjectView(string Id, string Title, string Status, string Stage, string? Waiting, decimal Spent)
{
    public static ProjectView Of(ProjectSnapshot p) =>
        new(p.Id.Value, p.Brief.Title, p.Status.ToString(), p.Stage.ToString(), p.PendingInput?.Kind.ToString(), p.Spent);
}
