using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests.Wire;

/// <summary>A request the fake provider received.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, JsonNode? Body);

/// <summary>
/// A local provider on a real socket (Kestrel on 127.0.0.1, port 0) that speaks one provider's wire protocol and answers
/// each call with the next queued <see cref="ProviderScript"/>, or with what <see cref="Responder"/> makes of the request.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ProviderScript> _scripts = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeProviderServer(WebApplication app, IWireProtocol protocol)
    {
        _app = app;
        Protocol = protocol;
    }

    public IWireProtocol Protocol { get; }

    public Uri Root { get; private set; } = null!;

    /// <summary>The address a client is given: the root plus the protocol's base path (such as <c>/v1</c>).</summary>
    public Uri BaseAddress => new(Root, Protocol.BasePath);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Answers a call when no script is queued; the default answers 500.</summary>
    public Func<RecordedRequest, CancellationToken, Task<ProviderScript>>? Responder { get; set; }

    public void Enqueue(ProviderScript script) => _scripts.Enqueue(script);

    public static async Task<FakeProviderServer> StartAsync(IWireProtocol protocol, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeProviderServer(app, protocol);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Root = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        JsonNode? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(context.Request.Body);
            string text = await reader.ReadToEndAsync(context.RequestAborted);
            body = text.Length > 0 ? JsonNode.Parse(text) : null;
        }

        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        _requests.Enqueue(request);
        if (!Protocol.IsChat(request))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"error":"no such path on the fake provider"}""", context.RequestAborted);
            return;
        }

        var script = _scripts.TryDequeue(out var queued) ? queued
            : Responder is { } responder ? await responder(request, context.RequestAborted)
            : new ScriptedFailure(ProviderFailure.ServerError);
        bool stream = Protocol.IsStreaming(request);
        try
        {
            switch (script)
            {
                case ScriptedAnswer answer:
                    await Protocol.WriteAnswerAsync(context, request, answer, stream);
                    break;
                case ScriptedFailure failure:
                    await Protocol.WriteFailureAsync(context, request, failure, stream);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown script {script}.");
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (cancellation mid-stream): nothing more to send.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One provider's wire protocol, as the fake server speaks it.</summary>
public interface IWireProtocol
{
    /// <summary>The path under the root a client's base address ends with, such as <c>v1/</c>.</summary>
    string BasePath { get; }

    bool IsChat(RecordedRequest request);

    bool IsStreaming(RecordedRequest request);

    Task WriteAnswerAsync(HttpContext context, RecordedRequest request, ScriptedAnswer answer, bool stream);

    Task WriteFailureAsync(HttpContext context, RecordedRequest request, ScriptedFailure failure, bool stream);
}

/// <summary>Helpers the protocols share.</summary>
internal static class Wire
{
    public const string TestKey = "sk-test-4f8a2c1d9e7b6a5c3f0e1d2c";

    /// <summary>Splits a text into a few pieces, so a stream carries more than one.</summary>
    public static IEnumerable<string> Pieces(string text)
    {
        int size = Math.Max(1, (text.Length + 2) / 3);
        for (int i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    public static async Task HoldUntilAbortedAsync(HttpContext context)
    {
        await Task.Delay(Timeout.Infinite, context.RequestAborted);
    }

    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    public static async Task WriteHtmlAsync(HttpContext context)
    {
        context.Response.StatusCode = 502;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", context.RequestAborted);
    }

    public static string? Seconds(TimeSpan? wait) => wait is { } w ? ((int)w.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
