using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany.AspNetCore.Tests;

/// <summary>Bad input is refused with problem details before anything is stored; client actions the project cannot take are 409.</summary>
public sealed class InputTests : IAsyncLifetime
{
    private readonly WebHostFactory _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    public static TheoryData<string, string> BadBriefs() => new()
    {
        { "not JSON", "{ title: " },
        { "no description", """{"title":"A"}""" },
        { "null title", """{"title":null,"description":"B"}""" },
        { "unknown member (a typo)", """{"title":"A","description":"B","budjet":5}""" },
        { "owner in the body", """{"title":"A","description":"B","client":"bob"}""" },
        { "empty title", """{"title":" ","description":"B"}""" },
        { "negative budget", """{"title":"A","description":"B","budget":-1}""" },
        { "a budget that is not a number", """{"title":"A","description":"B","budget":"lots"}""" },
        { "null", "null" },
        { "empty body", "" },
    };

    [Theory]
    [MemberData(nameof(BadBriefs))]
    public async Task A_bad_brief_is_400_with_problem_details_and_stores_nothing(string why, string json)
    {
        var response = await _host.ClientFor("alice").PostAsync("/api/projects", new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await SecurityTests.CountProjectsAsync(_host));
    }

    [Fact]
    public async Task An_invalid_brief_lists_every_problem()
    {
        var response = await _host.ClientFor("alice").PostAsJsonAsync("/api/projects", new { title = new string('t', 300), description = " ", budget = -1 }, TestContext.Current.CancellationToken);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var problems = problem.RootElement.GetProperty("errors").GetProperty("brief").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p!.StartsWith("Title is 300 characters", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_oversized_body_is_413_and_stores_nothing()
    {
        string huge = JsonSerializer.Serialize(new { title = "Big", description = new string('d', 300_000) });

        var response = await _host.ClientFor("alice").PostAsync("/api/projects", new StringContent(huge, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await SecurityTests.CountProjectsAsync(_host));
    }

    [Fact]
    public async Task An_oversized_body_without_a_length_is_413_too()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { title = "Big", description = new string('d', 300_000) }))));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _host.ClientFor("alice").SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await SecurityTests.CountProjectsAsync(_host));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415()
    {
        var response = await _host.ClientFor("alice").PostAsync("/api/projects", new StringContent("title=A&description=B", Encoding.UTF8, "application/x-www-form-urlencoded"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, await SecurityTests.CountProjectsAsync(_host));
    }

    [Theory]
    [InlineData("?status=Sleeping")]
    [InlineData("?status=1")]
    [InlineData("?page=0")]
    [InlineData("?pageSize=1000")]
    [InlineData("?page=two")]
    public async Task A_bad_listing_query_is_400(string query)
    {
        var response = await _host.ClientFor("alice").GetAsync("/api/projects" + query, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Listing_pages_and_filters_by_status_and_stage()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var first = await WebHostFactory.SubmitAsync(alice, "First");
        await WebHostFactory.SubmitAsync(alice, "Second");
        await WebHostFactory.SubmitAsync(alice, "Third");
        (await alice.PostAsync($"/api/projects/{first.Id}/pause", null, ct)).EnsureSuccessStatusCode();

        var page1 = await alice.GetFromJsonAsync<ProjectPage>("/api/projects?pageSize=2", ct);
        var page2 = await alice.GetFromJsonAsync<ProjectPage>("/api/projects?pageSize=2&page=2", ct);
        var paused = await alice.GetFromJsonAsync<ProjectPage>("/api/projects?status=paused", ct);
        var inStage = await alice.GetFromJsonAsync<ProjectPage>($"/api/projects?stage={first.Stage}", ct);
        var otherStage = await alice.GetFromJsonAsync<ProjectPage>("/api/projects?stage=Production", ct);

        Assert.Equal(["Third", "Second"], page1!.Items.Select(p => p.Title));
        Assert.Equal(["First"], page2!.Items.Select(p => p.Title));
        Assert.Equal(3, page2.Total);
        Assert.Equal(["First"], paused!.Items.Select(p => p.Title));
        Assert.Equal(3, inStage!.Total);
        Assert.Equal(0, otherStage!.Total);
    }

    [Fact]
    public async Task Client_actions_the_project_cannot_take_now_are_409_and_bad_values_400()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var project = await WebHostFactory.SubmitAsync(alice);

        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/answer", new { text = "yes" }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync($"/api/projects/{project.Id}/approve", null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync($"/api/projects/{project.Id}/resume", null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/budget", new { amount = -5m }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/answer", new { text = new string('a', 20_001) }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.PostAsync($"/api/projects/{project.Id}/answer", null, ct)).StatusCode);

        var budget = await alice.PostAsJsonAsync($"/api/projects/{project.Id}/budget", new { amount = 2.5m }, ct);
        Assert.Equal(7.5m, (await budget.Content.ReadFromJsonAsync<ProjectView>(ct))!.Budget);
        Assert.Equal("Paused", (await (await alice.PostAsync($"/api/projects/{project.Id}/pause", null, ct)).Content.ReadFromJsonAsync<ProjectView>(ct))!.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync($"/api/projects/{project.Id}/pause", null, ct)).StatusCode);
        Assert.Equal("Active", (await (await alice.PostAsync($"/api/projects/{project.Id}/resume", null, ct)).Content.ReadFromJsonAsync<ProjectView>(ct))!.Status);
        Assert.Equal("Cancelled", (await (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/cancel", new { text = "changed my mind" }, ct)).Content.ReadFromJsonAsync<ProjectView>(ct))!.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync($"/api/projects/{project.Id}/cancel", null, ct)).StatusCode);
    }

    [Theory]
    [InlineData("prj_does_not_exist")]
    [InlineData("an-id-that-is-far-too-long-to-be-a-project-id-at-all-0123456789abcdef")]
    public async Task An_unknown_project_is_404(string id)
    {
        var response = await _host.ClientFor("alice").GetAsync($"/api/projects/{id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Artifacts_are_listed_downloaded_and_zipped()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var project = await WebHostFactory.SubmitAsync(alice);
        var store = _host.Services.GetRequiredService<IArtifactStore>();
        await store.SaveAsync(new ProjectId(project.Id), "src/Program.cs", Encoding.UTF8.GetBytes("Console.WriteLine(1);"), ct);
        await store.SaveAsync(new ProjectId(project.Id), "README.md", Encoding.UTF8.GetBytes("# Recipe box"), ct);
        await store.SaveAsync(new ProjectId(project.Id), "src/Program.cs", Encoding.UTF8.GetBytes("Console.WriteLine(2);"), ct);

        var list = await alice.GetFromJsonAsync<List<ArtifactView>>($"/api/projects/{project.Id}/artifacts", ct);
        string file = await alice.GetStringAsync($"/api/projects/{project.Id}/artifacts/src/Program.cs", ct);
        var missing = await alice.GetAsync($"/api/projects/{project.Id}/artifacts/src/Nope.cs", ct);
        var zipResponse = await alice.GetAsync($"/api/projects/{project.Id}/artifacts.zip", ct);
        using var zip = new ZipArchive(await zipResponse.Content.ReadAsStreamAsync(ct));

        Assert.Equal(["README.md", "src/Program.cs"], list!.Select(a => a.Path));
        Assert.Equal(2, list![1].Version);
        Assert.Equal("Console.WriteLine(2);", file);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/zip", zipResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["README.md", "src/Program.cs"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var reader = new StreamReader(zip.GetEntry("src/Program.cs")!.Open());
        Assert.Equal("Console.WriteLine(2);", await reader.ReadToEndAsync(ct));
    }

    [Fact]
    public async Task The_OpenAPI_document_and_the_health_endpoints_are_served()
    {
        var ct = TestContext.Current.CancellationToken;
        var http = _host.CreateClient();

        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json", ct));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/projects", paths);
        Assert.Contains("/api/projects/{id}/events", paths);
        Assert.Contains("/api/admin/costs", paths);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready", ct)).StatusCode);
    }

    [Fact]
    public void The_tests_run_the_host_without_workers_so_projects_stay_where_the_tests_put_them()
    {
        var hosted = _host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType().Name).ToList();

        Assert.DoesNotContain("WorkDispatcher", hosted);
    }
}
