using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany.AspNetCore.Tests;

/// <summary>A client sees and acts on its own projects only: every endpoint of the API, enumerated from the app's endpoints so that a new one cannot be forgotten.</summary>
public sealed class OwnershipTests : IAsyncLifetime
{
    // The endpoints that take no project id, and what a client gets there; every other API endpoint must take {id}.
    private static readonly Dictionary<string, string> WithoutProjectId = new(StringComparer.Ordinal)
    {
        ["POST /api/projects"] = "creates the caller's own project",
        ["GET /api/projects"] = "lists the caller's own projects",
        ["GET /api/admin/projects"] = "admin only",
        ["GET /api/admin/costs"] = "admin only",
        ["GET /api/admin/queue"] = "admin only",
        ["GET /api/admin/routing"] = "admin only",
        ["GET /api/admin/workers"] = "admin only",
        ["POST /api/dev/token"] = "anonymous, Development only",
        ["POST /api/projects/estimate"] = "estimates the caller's own brief; reads no project",
        ["POST /api/webhooks"] = "creates the caller's own subscription",
        ["GET /api/webhooks"] = "lists the caller's own subscriptions (checked below)",
        ["POST /api/webhooks/inbound"] = "names the project in the body (checked below)",
        ["GET /api/admin/webhooks/deliveries"] = "admin only",
    };

    private readonly WebHostFactory _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Another_client_gets_404_and_no_data_from_every_project_endpoint_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var mallory = _host.ClientFor("mallory");
        var project = await WebHostFactory.SubmitAsync(alice, "Alice's secret project");
        await SaveArtifactAsync(project.Id, "src/app.txt", "alice's code");

        var endpoints = ApiEndpoints().ToList();
        var subscription = await WebhookTests.SubscribeAsync(alice, new Uri("http://127.0.0.1:9/alice-secret-hook"));
        var unclassified = endpoints.Where(e => !e.Pattern.Contains("{id}", StringComparison.Ordinal) && !e.Pattern.Contains("{subscriptionId}", StringComparison.Ordinal) && !WithoutProjectId.ContainsKey($"{e.Method} {e.Pattern}")).ToList();
        Assert.True(unclassified.Count == 0, "Endpoints with no ownership rule in this test (take {id}, or add them to WithoutProjectId with a test): " + string.Join(", ", unclassified));

        var withId = endpoints.Where(e => e.Pattern.Contains("{id}", StringComparison.Ordinal)).ToList();
        Assert.True(withId.Count >= 12, $"only {withId.Count} project endpoints found");
        foreach (var (method, pattern) in withId)
        {
            using var request = Request(method, pattern, project.Id);
            var response = await mallory.SendAsync(request, ct);
            string body = await response.Content.ReadAsStringAsync(ct);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {pattern}: {response.StatusCode} {body}");
            Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("alice", body, StringComparison.OrdinalIgnoreCase);
        }

        // Another client's subscription is 404 wherever it is named, as an unknown one.
        var withSubscription = endpoints.Where(e => e.Pattern.Contains("{subscriptionId}", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(withSubscription);
        foreach (var (method, pattern) in withSubscription)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), pattern.Replace("{subscriptionId}", subscription.Id, StringComparison.Ordinal));
            var response = await mallory.SendAsync(request, ct);
            string body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {pattern}: {response.StatusCode} {body}");
            Assert.DoesNotContain("alice", body, StringComparison.OrdinalIgnoreCase);
        }

        // The endpoints without an id in the path: the list shows none of Alice's, the inbound endpoint refuses her project.
        Assert.Equal("[]", await mallory.GetStringAsync("/api/webhooks", ct));
        var inbound = await mallory.PostAsJsonAsync("/api/webhooks/inbound", new { projectId = project.Id, action = "answer", text = "please" }, ct);
        Assert.Equal(HttpStatusCode.NotFound, inbound.StatusCode);
        Assert.DoesNotContain("secret", await inbound.Content.ReadAsStringAsync(ct), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, (await mallory.GetAsync("/api/admin/webhooks/deliveries", ct)).StatusCode);

        var after = await alice.GetFromJsonAsync<ProjectView>($"/api/projects/{project.Id}", ct);
        Assert.Equal(project.Version, after!.Version);
        Assert.Equal("Active", after.Status);
        Assert.Equal([subscription.Id], (await alice.GetFromJsonAsync<List<WebhookSubscriptionView>>("/api/webhooks", ct))!.Select(s => s.Id));
    }

    [Fact]
    public async Task A_client_lists_only_its_own_projects_and_an_admin_all()
    {
        var ct = TestContext.Current.CancellationToken;
        await WebHostFactory.SubmitAsync(_host.ClientFor("alice"), "Alice's");
        await WebHostFactory.SubmitAsync(_host.ClientFor("bob"), "Bob's");

        var alices = await _host.ClientFor("alice").GetFromJsonAsync<ProjectPage>("/api/projects", ct);
        var admins = await _host.ClientFor("root", "admin").GetFromJsonAsync<ProjectPage>("/api/admin/projects", ct);
        var adminOwn = await _host.ClientFor("root", "admin").GetFromJsonAsync<ProjectPage>("/api/projects", ct);

        Assert.Equal(["Alice's"], alices!.Items.Select(p => p.Title));
        Assert.Equal("alice", alices.Items[0].Owner);
        Assert.Equal(2, admins!.Total);
        Assert.Equal(2, adminOwn!.Total);
    }

    [Fact]
    public async Task The_owner_is_the_token_subject_whatever_the_body_says()
    {
        var ct = TestContext.Current.CancellationToken;
        var response = await _host.ClientFor("alice").PostAsJsonAsync("/api/projects", new { title = "Mine", description = "A thing." }, ct);

        var created = await response.Content.ReadFromJsonAsync<ProjectView>(ct);
        Assert.Equal("alice", created!.Owner);
        Assert.Equal($"/api/projects/{created.Id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_admin_sees_and_acts_on_any_clients_project()
    {
        var ct = TestContext.Current.CancellationToken;
        var project = await WebHostFactory.SubmitAsync(_host.ClientFor("alice"));
        var admin = _host.ClientFor("root", "admin");

        var seen = await admin.GetAsync($"/api/projects/{project.Id}", ct);
        var paused = await admin.PostAsJsonAsync($"/api/projects/{project.Id}/pause", new { text = "operator check" }, ct);

        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        Assert.Equal("Paused", (await paused.Content.ReadFromJsonAsync<ProjectView>(ct))!.Status);
    }

    private IEnumerable<(string Method, string Pattern)> ApiEndpoints() =>
        from e in _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        let pattern = "/" + e.RoutePattern.RawText!.Trim('/')
        where pattern.StartsWith("/api/", StringComparison.Ordinal)
        from method in e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]
        select (method, pattern);

    // A well-formed request for the endpoint, so that only ownership can refuse it.
    private static HttpRequestMessage Request(string method, string pattern, string projectId)
    {
        string path = pattern.Replace("{id}", projectId, StringComparison.Ordinal).Replace("{**path}", "src/app.txt", StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(pattern.EndsWith("/budget", StringComparison.Ordinal) ? new { amount = 5m } : (object)new { text = "please" });
        }

        return request;
    }

    private async Task SaveArtifactAsync(string projectId, string path, string content) =>
        await _host.Services.GetRequiredService<IArtifactStore>().SaveAsync(new ProjectId(projectId), path, System.Text.Encoding.UTF8.GetBytes(content), TestContext.Current.CancellationToken);
}
