using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace VirtualItCompany.AspNetCore.Tests;

public sealed class SecurityTests : IAsyncLifetime
{
    private readonly WebHostFactory _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    public static TheoryData<string, string> BadTokens()
    {
        var now = DateTimeOffset.UtcNow;
        return new TheoryData<string, string>
        {
            { "expired", Tokens.Create("alice", "client", notBefore: now.AddHours(-2), expires: now.AddHours(-1)) },
            { "not yet valid", Tokens.Create("alice", "client", notBefore: now.AddHours(1), expires: now.AddHours(2)) },
            { "no expiry", Tokens.Create("alice", "client", withExpiry: false) },
            { "wrong audience", Tokens.Create("alice", "client", audience: "someone-else") },
            { "wrong issuer", Tokens.Create("alice", "client", issuer: "https://evil.example") },
            { "wrong key", Tokens.Create("alice", "client", key: "another-signing-key-of-more-than-thirty-two-bytes-xx") },
            { "HS512 (only HS256 accepted)", Tokens.Create("alice", "client", algorithm: SecurityAlgorithms.HmacSha512) },
            { "alg none", Tokens.AlgNone("alice", "client") },
            { "tampered role", Tokens.TamperedRole("alice") },
            { "garbage", "not-a-jwt" },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_401_with_problem_details(string why, string token)
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var projects = await http.GetAsync("/api/projects", TestContext.Current.CancellationToken);
        var admin = await http.GetAsync("/api/admin/queue", TestContext.Current.CancellationToken);

        Assert.True(projects.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {projects.StatusCode}");
        Assert.Equal(HttpStatusCode.Unauthorized, admin.StatusCode);
        Assert.Equal("application/problem+json", projects.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_same_request_with_a_good_token_is_200()
    {
        var response = await _host.ClientFor("alice").GetAsync("/api/projects", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_role_does_not_open_the_admin_views()
    {
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.TamperedRole("mallory"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/admin/costs", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("/api/admin/projects")]
    [InlineData("/api/admin/costs")]
    [InlineData("/api/admin/queue")]
    [InlineData("/api/admin/routing")]
    [InlineData("/api/admin/workers")]
    public async Task Role_matrix_of_the_admin_views(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.CreateClient().GetAsync(path, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.ClientFor("alice", "client").GetAsync(path, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.ClientFor("guest", "guest").GetAsync(path, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.ClientFor("root", "admin").GetAsync(path, ct)).StatusCode);
    }

    [Fact]
    public async Task Role_matrix_of_the_project_endpoints()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.CreateClient().GetAsync("/api/projects", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.ClientFor("guest", "guest").GetAsync("/api/projects", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.ClientFor("guest", "guest").PostAsJsonAsync("/api/projects", new { title = "x", description = "y" }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.ClientFor("alice", "client").GetAsync("/api/projects", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.ClientFor("root", "admin").GetAsync("/api/projects", ct)).StatusCode);
        Assert.Equal(0, await CountProjectsAsync(_host));
    }

    [Fact]
    public async Task In_Development_the_token_endpoint_signs_a_token_the_API_accepts()
    {
        var ct = TestContext.Current.CancellationToken;
        var anonymous = _host.CreateClient();
        var issued = await anonymous.PostAsJsonAsync("/api/dev/token", new { subject = "carol", role = "client" }, ct);
        var token = (await issued.Content.ReadFromJsonAsync<DevelopmentTokenResponse>(ct))!;
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/projects", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.CreateClient().PostAsJsonAsync("/api/dev/token", new { subject = "carol", role = "root" }, ct)).StatusCode);
    }

    [Fact]
    public async Task Outside_Development_the_token_endpoint_does_not_exist()
    {
        await using var production = new WebHostFactory("Production");
        var ct = TestContext.Current.CancellationToken;

        var response = await production.CreateClient().PostAsJsonAsync("/api/dev/token", new { subject = "carol", role = "admin" }, ct);
        var routes = production.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToList();

        Assert.Equal(Environments.Production, production.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, response.StatusCode.ToString());
        Assert.DoesNotContain(routes, r => r!.Contains("dev/token", StringComparison.Ordinal));
        Assert.Contains(routes, r => r!.EndsWith("/projects/{id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outside_Development_a_missing_signing_key_stops_the_host_from_starting()
    {
        await using var production = new WebHostFactory("Production", new Dictionary<string, string?> { ["VirtualItCompany:Jwt:SigningKey"] = "short" });

        var e = Assert.ThrowsAny<Exception>(() => production.CreateClient());

        Assert.Contains("SigningKey", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submitting_past_the_rate_limit_is_429_and_creates_nothing()
    {
        await using var limited = new WebHostFactory(settings: new Dictionary<string, string?> { ["VirtualItCompany:Api:SubmitPermitLimit"] = "2", ["VirtualItCompany:Api:SubmitWindow"] = "01:00:00" });
        var ct = TestContext.Current.CancellationToken;
        var alice = limited.ClientFor("alice");
        await WebHostFactory.SubmitAsync(alice);
        await WebHostFactory.SubmitAsync(alice);

        var third = await alice.PostAsJsonAsync("/api/projects", new { title = "Third", description = "One too many." }, ct);
        var bob = await limited.ClientFor("bob").PostAsJsonAsync("/api/projects", new { title = "Bob's", description = "Another user has his own limit." }, ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.True(third.Headers.RetryAfter is not null, "Retry-After is missing");
        Assert.Equal(HttpStatusCode.Created, bob.StatusCode);
        Assert.Equal(3, await CountProjectsAsync(limited));
    }

    [Fact]
    public async Task Other_requests_past_their_rate_limit_are_429()
    {
        await using var limited = new WebHostFactory(settings: new Dictionary<string, string?> { ["VirtualItCompany:Api:RequestPermitLimit"] = "3", ["VirtualItCompany:Api:RequestWindow"] = "01:00:00" });
        var ct = TestContext.Current.CancellationToken;
        var alice = limited.ClientFor("alice");
        var codes = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            codes.Add((await alice.GetAsync("/api/projects", ct)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], codes);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/projects")]
    public async Task Responses_carry_the_security_headers(string path)
    {
        var response = await _host.ClientFor("alice").GetAsync(path, TestContext.Current.CancellationToken);

        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    internal static async Task<int> CountProjectsAsync(WebHostFactory host)
    {
        var page = await host.ClientFor("root", "admin").GetFromJsonAsync<ProjectPage>("/api/admin/projects", TestContext.Current.CancellationToken);
        return page!.Total;
    }
}
