namespace VirtualItCompany.Providers.Offline.Template;

/// <summary>The one kind of program the offline model writes: a small ASP.NET Core minimal-API service whose names and texts come from the brief, with a self-contained test runner.</summary>
/// <remarks>
/// Layout: <c>Service/</c> (the web service; one <c>Features/{Name}Feature.cs</c> per planned feature, found by reflection)
/// and <c>Tests/</c> (a console test runner that starts the service in-process). Neither uses NuGet packages, so no network is needed.
/// </remarks>
internal static class ServiceTemplate
{
    /// <summary>The path answering 200 when the service is healthy.</summary>
    public const string HealthPath = "/health";

    /// <summary>Gets the command that runs the tests.</summary>
    public static IReadOnlyList<string> TestCommand { get; } = ["dotnet", "run", "--project", "Tests/Tests.csproj"];

    /// <summary>Gets the command that builds the service for an environment.</summary>
    public static IReadOnlyList<string> BuildCommand(string environment) =>
        ["dotnet", "build", "Service/Service.csproj", "-c", "Release", "-o", $"out/{CodeNames.Slug(environment, "env")}"];

    /// <summary>Gets the command that starts the built service of an environment (it reads <c>PORT</c>).</summary>
    public static IReadOnlyList<string> StartCommand(string environment) =>
        ["dotnet", $"out/{CodeNames.Slug(environment, "env")}/Service.dll"];

    /// <summary>Gets the files that set up the repository.</summary>
    public static IReadOnlyList<GeneratedFile> SetupFiles(string title, string description)
    {
        string ns = CodeNames.ServiceNamespace(title);
        return
        [
            new(".gitignore", "bin/\nobj/\nout/\n"),
            // Isolate the project from any Directory.*.props/targets or central package management above it.
            new("Directory.Build.props", "<Project />\n"),
            new("Directory.Build.targets", "<Project />\n"),
            new("Directory.Packages.props", "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n</Project>\n"),
            new("README.md", Readme(title, description)),
            new("Service/Service.csproj", """
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <AssemblyName>Service</AssemblyName>
                  </PropertyGroup>
                </Project>

                """),
            new("Service/IFeature.cs", $$"""
                namespace {{ns}};

                /// <summary>A feature of the service: a named endpoint. Every implementation is mapped at start.</summary>
                public interface IFeature
                {
                    /// <summary>Gets the feature's name, as planned.</summary>
                    string Name { get; }

                    /// <summary>Gets what the feature does.</summary>
                    string Description { get; }

                    /// <summary>Gets the route the feature answers on, under /features/.</summary>
                    string Route { get; }

                    /// <summary>Answers a GET request on <see cref="Route"/>.</summary>
                    IResult Handle();
                }

                """),
            new("Service/Program.cs", $$"""
                using System.Globalization;

                namespace {{ns}};

                /// <summary>The service: health, an index of the features, and every feature's endpoint.</summary>
                public static class ServiceApp
                {
                    /// <summary>The service's title, from the brief.</summary>
                    public const string Title = {{CSharpText.Literal(title)}};

                    /// <summary>What the service is for, from the brief.</summary>
                    public const string Description = {{CSharpText.Literal(description)}};

                    /// <summary>Starts the service on 127.0.0.1, on the port in the PORT environment variable (8080 if unset).</summary>
                    public static async Task Main(string[] args)
                    {
                        int port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : 8080;
                        await using var app = Build(args, port);
                        await app.RunAsync();
                    }

                    /// <summary>Builds the service listening on 127.0.0.1 at a port; tests start it in-process.</summary>
                    public static WebApplication Build(string[] args, int port)
                    {
                        var builder = WebApplication.CreateBuilder(args);
                        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
                        builder.Logging.SetMinimumLevel(LogLevel.Warning);
                        var app = builder.Build();
                        var features = Features();

                        app.MapGet("/health", () => Results.Text("ok"));
                        app.MapGet("/", () => Results.Json(new
                        {
                            title = Title,
                            description = Description,
                            features = features.Select(f => new { name = f.Name, description = f.Description, route = f.Route }),
                        }));
                        foreach (var feature in features)
                        {
                            app.MapGet(feature.Route, feature.Handle);
                        }

                        return app;
                    }

                    /// <summary>Finds every feature in this assembly, in a stable order.</summary>
                    public static IReadOnlyList<IFeature> Features() =>
                        typeof(ServiceApp).Assembly.GetTypes()
                            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFeature).IsAssignableFrom(t))
                            .OrderBy(t => t.FullName, StringComparer.Ordinal)
                            .Select(t => (IFeature)Activator.CreateInstance(t)!)
                            .ToList();
                }

                """),
        ];
    }

    /// <summary>Gets the source file of one feature.</summary>
    public static GeneratedFile FeatureFile(string title, string name, string description) => new(CodeNames.FeaturePath(name), $$"""
        namespace {{CodeNames.ServiceNamespace(title)}};

        /// <summary>The feature "{{EscapeXml(CSharpText.OneLine(name))}}".</summary>
        public sealed class {{CodeNames.FeatureClass(name)}} : IFeature
        {
            /// <inheritdoc />
            public string Name => {{CSharpText.Literal(name)}};

            /// <inheritdoc />
            public string Description => {{CSharpText.Literal(description)}};

            /// <inheritdoc />
            public string Route => {{CSharpText.Literal(CodeNames.FeatureRoute(name))}};

            /// <inheritdoc />
            public IResult Handle() => Results.Json(new { feature = Name, description = Description, status = "available" });
        }

        """);

    /// <summary>Gets the files of the test runner, which checks the service and every planned feature.</summary>
    public static IReadOnlyList<GeneratedFile> TestFiles(string title, IReadOnlyList<(string Name, string Description)> plannedFeatures)
    {
        string ns = CodeNames.ServiceNamespace(title);
        return
        [
            new("Tests/Tests.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <FrameworkReference Include="Microsoft.AspNetCore.App" />
                    <ProjectReference Include="../Service/Service.csproj" />
                  </ItemGroup>
                </Project>

                """),
            new("Tests/Program.cs", $$"""
                using System.Net;
                using System.Text.Json;

                namespace {{ns}}.Tests;

                /// <summary>A self-contained test runner: prints each test, then "N passed, N failed"; exits with 0 only when none failed.</summary>
                internal static class Program
                {
                    private static readonly string[] PlannedFeatures = {{CSharpText.List(plannedFeatures.Select(f => f.Name))}};

                    private static int passed;
                    private static int failed;

                    public static async Task<int> Main()
                    {
                        var features = ServiceApp.Features();

                        Check("every planned feature is implemented", () =>
                            PlannedFeatures.Where(p => !features.Any(f => f.Name == p)).Select(p => $"missing: {p}"));
                        Check("every feature has a name, a description and a route under /features/", () =>
                            features.Where(f => string.IsNullOrWhiteSpace(f.Name) || string.IsNullOrWhiteSpace(f.Description) || !f.Route.StartsWith("/features/", StringComparison.Ordinal))
                                .Select(f => $"incomplete: {f.Name}"));
                        Check("feature routes are unique", () =>
                            features.GroupBy(f => f.Route, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"shared route: {g.Key}"));

                        // Port 0: the server picks a free port as it binds, so no other process can take it in between.
                        await using (var app = ServiceApp.Build([], 0))
                        {
                            await app.StartAsync();
                            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };

                            await CheckAsync("GET /health answers 200 ok", async () =>
                            {
                                using var response = await http.GetAsync("/health");
                                string body = await response.Content.ReadAsStringAsync();
                                return response.StatusCode == HttpStatusCode.OK && body == "ok" ? [] : [$"got {(int)response.StatusCode} {body}"];
                            });
                            await CheckAsync("GET / describes the service and lists every feature", async () =>
                            {
                                using var json = JsonDocument.Parse(await http.GetStringAsync("/"));
                                var root = json.RootElement;
                                var problems = new List<string>();
                                if (root.GetProperty("title").GetString() != ServiceApp.Title) problems.Add("wrong title");
                                if (root.GetProperty("description").GetString() != ServiceApp.Description) problems.Add("wrong description");
                                var names = root.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToHashSet();
                                problems.AddRange(features.Where(f => !names.Contains(f.Name)).Select(f => $"not listed: {f.Name}"));
                                return problems;
                            });
                            foreach (var feature in features)
                            {
                                await CheckAsync($"GET {feature.Route} answers with the feature \"{feature.Name}\"", async () =>
                                {
                                    using var response = await http.GetAsync(feature.Route);
                                    if (response.StatusCode != HttpStatusCode.OK) return [$"got {(int)response.StatusCode}"];
                                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                                    return json.RootElement.GetProperty("description").GetString() == feature.Description ? [] : ["wrong description"];
                                });
                            }

                            await app.StopAsync();
                        }

                        Console.WriteLine($"{passed} passed, {failed} failed");
                        return failed == 0 ? 0 : 1;
                    }

                    private static void Check(string name, Func<IEnumerable<string>> test)
                    {
                        List<string> problems;
                        try
                        {
                            problems = test().ToList();
                        }
                        catch (Exception ex)
                        {
                            problems = [$"{ex.GetType().Name}: {ex.Message}"];
                        }

                        Report(name, problems);
                    }

                    private static async Task CheckAsync(string name, Func<Task<List<string>>> test) => Report(name, await Run(test));

                    private static async Task<List<string>> Run(Func<Task<List<string>>> test)
                    {
                        try
                        {
                            return await test();
                        }
                        catch (Exception ex)
                        {
                            return [$"{ex.GetType().Name}: {ex.Message}"];
                        }
                    }

                    private static void Report(string name, List<string> problems)
                    {
                        if (problems.Count == 0)
                        {
                            passed++;
                            Console.WriteLine($"PASS {name}");
                        }
                        else
                        {
                            failed++;
                            Console.WriteLine($"FAIL {name}: {string.Join("; ", problems)}");
                        }
                    }
                }

                """),
        ];
    }

    private static string Readme(string title, string description) => $"""
        # {CSharpText.OneLine(title)}

        {description.Trim()}

        A small ASP.NET Core service written by the offline model of VirtualItCompany (no AI): each planned
        feature is a class in `Service/Features/` answering on `/features/<name>`.

        ## Run

        ```
        PORT=8080 dotnet run --project Service/Service.csproj
        ```

        Then open `http://127.0.0.1:8080/` (the feature list) or `/health`.

        ## Test

        ```
        dotnet run --project Tests/Tests.csproj
        ```

        The runner starts the service in-process, checks every feature and prints `N passed, N failed`.

        """;

    private static string EscapeXml(string text) => System.Security.SecurityElement.Escape(text) ?? "";
}

/// <summary>A file the offline model writes.</summary>
/// <param name="Path">The path relative to the workspace, with '/' separators.</param>
/// <param name="Content">The text.</param>
internal sealed record GeneratedFile(string Path, string Content);
