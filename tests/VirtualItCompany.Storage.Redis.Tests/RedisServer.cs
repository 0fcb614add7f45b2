using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace VirtualItCompany.Storage.Redis.Tests;

/// <summary>
/// A real Redis for the tests: the one in <c>VIRTUALITCOMPANY_TEST_REDIS</c> (host:port, started by eng/test-servers.sh) when set,
/// otherwise a private <c>redis-server</c> process on a free port in a temporary folder, killed when the tests end.
/// Fails (never skips) when neither is available. Also compiled into the worker host tests (their private Redis, killed
/// and restarted empty mid-run).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;
    private readonly string? _folder;
    private readonly string[] _arguments;

    private RedisServer(string endpoint, string? folder, int port, string[] arguments)
    {
        Endpoint = endpoint;
        _folder = folder;
        Port = port;
        _arguments = arguments;
    }

    /// <summary>Gets host:port.</summary>
    public string Endpoint { get; }

    public int Port { get; }

    /// <summary>Gets whether this process started the server (so it may restart or kill it).</summary>
    public bool IsPrivate => _folder is not null;

    /// <summary>Uses the environment's server, or starts a private one.</summary>
    public static Task<RedisServer> FromEnvironmentOrStartAsync() =>
        Environment.GetEnvironmentVariable("VIRTUALITCOMPANY_TEST_REDIS") is { Length: > 0 } endpoint
            ? Task.FromResult(new RedisServer(endpoint, null, 0, []))
            : StartAsync();

    /// <summary>Starts a private redis-server on a free port, in a temporary folder.</summary>
    public static async Task<RedisServer> StartAsync(bool persistent = false)
    {
        string folder = Directory.CreateTempSubdirectory("vic-redis-").FullName;
        int port = FreePort();
        string[] arguments = persistent
            ? ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder, "--appendonly", "yes", "--appendfsync", "always", "--save", ""]
            : ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder, "--appendonly", "no", "--save", ""];
        var server = new RedisServer($"127.0.0.1:{port}", folder, port, arguments);
        await server.StartProcessAsync();
        return server;
    }

    public string Configuration => $"{Endpoint},allowAdmin=true,connectTimeout=2000,syncTimeout=5000";

    /// <summary>Kills the server (SIGKILL) and starts it again on the same port and folder.</summary>
    public async Task RestartAsync()
    {
        Kill();
        await StartProcessAsync();
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        await Task.CompletedTask;
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run eng/install-test-dependencies.sh (apt-get install redis-server), or set VIRTUALITCOMPANY_TEST_REDIS=host:port.", ex);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var probe = await ConnectionMultiplexer.ConnectAsync($"{Endpoint},connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
