namespace VirtualItCompany.Tests.Workspace;

/// <summary>Builds, once per test run, a tiny HTTP server that listens on 127.0.0.1:$PORT and answers /health with 200.</summary>
/// <remarks>It is built through a workspace itself, which also proves that dotnet builds work in the scrubbed environment.</remarks>
public sealed class HealthServerFixture : IAsyncLifetime
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    private const string Program = """
        using System.Net;

        var port = Environment.GetEnvironmentVariable("PORT") ?? throw new InvalidOperationException("PORT is not set.");
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Console.WriteLine($"listening on {port}");
        while (true)
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/health" ? 200 : 404;
            context.Response.Close();
        }
        """;

    private readonly ScratchWorkspaces _scratch = new();

    /// <summary>Gets the folder holding the built server, <c>HealthServer.dll</c>.</summary>
    public string OutputDirectory { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var workspace = await _scratch.GetAsync("prj_health_server");
        await workspace.WriteFileAsync("HealthServer/HealthServer.csproj", Project);
        await workspace.WriteFileAsync("HealthServer/Program.cs", Program);

        var build = await workspace.RunAsync(new CommandRequest(["dotnet", "build", "HealthServer", "-c", "Release", "-o", "out"]) { Timeout = TimeSpan.FromMinutes(3) });

        Assert.True(build.Succeeded, build.Output);
        OutputDirectory = Path.Combine(workspace.RootPath, "out");
    }

    /// <summary>Copies the built server into a workspace's <c>app</c> folder.</summary>
    public void CopyInto(IProjectWorkspace workspace)
    {
        var target = Directory.CreateDirectory(Path.Combine(workspace.RootPath, "app"));
        foreach (var file in Directory.EnumerateFiles(OutputDirectory))
        {
            File.Copy(file, Path.Combine(target.FullName, Path.GetFileName(file)), overwrite: true);
        }
    }

    public ValueTask DisposeAsync() => _scratch.DisposeAsync();
}
