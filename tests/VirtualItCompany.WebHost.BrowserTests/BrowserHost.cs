using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace VirtualItCompany.WebHost.BrowserTests;

/// <summary>
/// samples/WebHost as `dotnet run` starts it (Development, SQLite, the offline model, workers on), on Kestrel at
/// 127.0.0.1 and a free port, with its database and workspaces in a temporary folder; and headless Chromium to look at it.
/// </summary>
public sealed class BrowserHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Debian's Chromium (apt-get install chromium): Playwright's own browser download is never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _folder = Directory.CreateTempSubdirectory("vic-browser-").FullName;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public BrowserHost() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    /// <summary>The address the pages are served at.</summary>
    public Uri Address { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async ValueTask InitializeAsync()
    {
        // A missing browser fails every test here (never a skip): CI must install it (eng/install-test-dependencies.sh).
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}: run `bash eng/install-test-dependencies.sh` (apt-get install chromium).");
        }

        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--headless"],
        });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development"); // the development token endpoint the portal signs in with
        builder.UseSetting("VirtualItCompany:Storage:Sqlite:ConnectionString", $"Data Source={Path.Combine(_folder, "webhost.db")}");
        builder.UseSetting("VirtualItCompany:Workspace:RootDirectory", Path.Combine(_folder, "workspaces"));
        builder.UseSetting("WebHost:RunWorkers", "true");
    }

    /// <summary>A new browser page (its own context: storage, downloads) at <paramref name="path"/>; script errors, console errors (CSP violations among them) and failed responses are collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> OpenAsync(string path)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (errors)
                {
                    errors.Add($"{response.Status} {response.Request.Method} {response.Url}");
                }
            }
        };
        await page.GotoAsync(new Uri(Address, path).ToString());
        return (page, errors);
    }

    /// <summary>Saves a full-page screenshot as TestResults/screenshots/<paramref name="name"/>.png at the repository's root (kept as test output).</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        string path = Path.Combine(ScreenshotFolder(), name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public static string ScreenshotFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "VirtualItCompany.sln")))
        {
            folder = folder.Parent;
        }

        string root = Path.Combine(folder?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(root);
        return root;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync(); // stops the host: workers, deployments and the server
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a closing process: the temp folder is cleaned by the system
        }
        catch (UnauthorizedAccessException)
        {
            // read-only git objects in a workspace: likewise
        }
    }
}
