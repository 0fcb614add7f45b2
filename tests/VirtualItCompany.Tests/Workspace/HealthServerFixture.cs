namespace VirtualItCompany.Tests.Workspace;

/// <summary>Builds, once per test class, a tiny HTTP server that listens on 127.0.0.1:$PORT and answers /health with 200.</summary>
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

    // A plain TCP server, one connection at a time, each in its own try with a time limit, so no client (a probe that gives up
    // and hangs up, one that sends nothing) can kill or stall it. The HttpListener-based server it replaces crashed now and then
    // with an unhandled HttpListener exception while being polled, which made deployment tests fail intermittently.
    private const string Program = """
        using System.Net;
        using System.Net.Sockets;
        using System.Text;

        var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? throw new InvalidOperationException("PORT is not set."));
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        Console.WriteLine($"listening on {port}");
        while (true)
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                string requestLine = await reader.ReadLineAsync(limit.Token) ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync(limit.Token)))
                {
                }

                string path = requestLine.Split(' ') is [_, var target, ..] ? target : "";
                string status = path == "/health" ? "200 OK" : "404 Not Found";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), limit.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away; serve the next one.
            }
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
