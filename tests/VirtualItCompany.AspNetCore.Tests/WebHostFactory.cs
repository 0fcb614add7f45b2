using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.AspNetCore;

namespace VirtualItCompany.AspNetCore.Tests;

/// <summary>samples/WebHost on a SQLite file of its own, without workers (projects stay where the tests put them), in an environment of the test's choice.</summary>
public sealed class WebHostFactory : WebApplicationFactory<Program>
{
    public const string Issuer = "test-issuer";
    public const string Audience = "test-audience";
    public const string SigningKey = "test-signing-key-of-more-than-sixty-four-bytes-for-hs256-and-hs512-alike";

    private readonly string _folder;
    private readonly bool _ownsFolder;
    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _kestrel;

    /// <param name="folder">The folder of the SQLite files; a new temporary one (deleted with the factory) by default. Pass one to restart a host on the same files.</param>
    public WebHostFactory(string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false, string? folder = null)
    {
        _ownsFolder = folder is null;
        _folder = folder ?? Directory.CreateTempSubdirectory("vic-webhost-").FullName;
        _environment = environment;
        _kestrel = kestrel;
        _settings = new(StringComparer.Ordinal)
        {
            ["VirtualItCompany:Storage:Sqlite:ConnectionString"] = $"Data Source={Path.Combine(_folder, "test.db")}",
            ["VirtualItCompany:Jwt:Issuer"] = Issuer,
            ["VirtualItCompany:Jwt:Audience"] = Audience,
            ["VirtualItCompany:Jwt:SigningKey"] = SigningKey,
            ["WebHost:RunWorkers"] = "false",
            ["VirtualItCompany:Webhooks:SqliteConnectionString"] = $"Data Source={Path.Combine(_folder, "webhooks.db")}",
            ["VirtualItCompany:Webhooks:AllowHttp"] = "true",
            ["VirtualItCompany:Webhooks:PollInterval"] = "00:00:00.100",
            ["VirtualItCompany:Webhooks:FirstRetryDelay"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        if (kestrel)
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }
    }

    /// <summary>The address of the Kestrel server (kestrel: true).</summary>
    public Uri ServerAddress
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client of the server signed in as <paramref name="subject"/> with <paramref name="role"/> (a token from <see cref="Tokens"/>).</summary>
    public HttpClient ClientFor(string subject, string role = VirtualItCompanyRoles.Client)
    {
        var http = _kestrel ? new HttpClient { BaseAddress = ServerAddress } : CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Valid(subject, role));
        return http;
    }

    public static async Task<ProjectView> SubmitAsync(HttpClient http, string title = "Recipe box")
    {
        var response = await http.PostAsJsonAsync("/api/projects", new { title, description = "A recipe box for a small cafe.", acceptanceCriteria = new[] { "It lists recipes." }, budget = 5m }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ProjectView>(TestContext.Current.CancellationToken))!;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a closing connection: the temp folder is cleaned by the system
        }
    }
}
