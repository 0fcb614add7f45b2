using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VirtualItCompany.WorkerHost.Tests;

/// <summary>A <c>redis-server</c> process of one test on a free port (no persistence), which the test may kill and restart; killed when disposed.</summary>
internal sealed class PrivateRedis : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vic-workerhost-redis-").FullName;
    private readonly int _port;
    private Process? _process;

    private PrivateRedis(int port) => _port = port;

    public string Endpoint => $"127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<PrivateRedis> StartAsync(CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var redis = new PrivateRedis(port);
        try
        {
            await redis.StartProcessAsync(cancellationToken);
            return redis;
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL, then started again on the same port: empty, since nothing was persisted.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        Kill();
        await StartProcessAsync(cancellationToken);
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _folder, "--appendonly", "no", "--save", "" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run eng/install-test-dependencies.sh (apt-get install redis-server).", ex);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port, cancellationToken);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
                var buffer = new byte[16];
                int read = await stream.ReadAsync(buffer, cancellationToken);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(20) && !_process.HasExited)
            {
            }

            Assert.False(_process.HasExited, $"redis-server exited at start (port {_port}).");
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "redis-server did not answer PING within 20 s.");
            await Task.Delay(100, cancellationToken);
        }
    }
}
