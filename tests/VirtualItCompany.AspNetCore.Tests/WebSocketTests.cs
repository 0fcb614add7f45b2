using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;

namespace VirtualItCompany.AspNetCore.Tests;

/// <summary>Project events over a WebSocket through the real pipeline (TestServer's WebSocket client), the origin check on both streams, and the SSE heartbeat.</summary>
public sealed class WebSocketTests : IAsyncLifetime
{
    private readonly WebHostFactory _host = new(settings: new Dictionary<string, string?>
    {
        ["VirtualItCompany:Api:AllowedOrigins:0"] = "https://portal.example",
        ["VirtualItCompany:Api:HeartbeatInterval"] = "00:00:00.200",
    });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_WebSocket_resumed_from_an_event_id_gets_what_was_missed_then_live_events_and_closes_when_the_project_ends()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var project = await WebHostFactory.SubmitAsync(alice);
        var seen = new List<(long Id, string Type)>();

        using (var first = await ConnectAsync("alice", project.Id, lastEventId: null, ct))
        {
            while (seen.Count == 0 || seen[^1].Id < project.Version)
            {
                seen.Add(await ReceiveAsync(first, ct) ?? throw new InvalidOperationException("closed early"));
            }

            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", ct); // the client leaves
        }

        (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/pause", new { text = "lunch" }, ct)).EnsureSuccessStatusCode();
        using (var second = await ConnectAsync("alice", project.Id, lastEventId: seen[^1].Id, ct))
        {
            seen.Add(await ReceiveAsync(second, ct) ?? throw new InvalidOperationException("nothing replayed"));
            (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/cancel", new { text = "done" }, ct)).EnsureSuccessStatusCode();
            while (await ReceiveAsync(second, ct) is { } e)
            {
                seen.Add(e);
            }

            Assert.Equal(WebSocketCloseStatus.NormalClosure, second.CloseStatus);
        }

        var final = await alice.GetFromJsonAsync<ProjectView>($"/api/projects/{project.Id}", ct);
        Assert.Equal(Enumerable.Range(1, (int)final!.Version).Select(v => (long)v), seen.Select(e => e.Id));
        Assert.Equal("projectCreated", seen[0].Type);
        Assert.Contains(seen, e => e.Type == "projectPaused");
        Assert.Equal("projectCancelled", seen[^1].Type);
    }

    [Fact]
    public async Task A_WebSocket_needs_a_token_the_owner_and_an_allowed_origin()
    {
        var ct = TestContext.Current.CancellationToken;
        var project = await WebHostFactory.SubmitAsync(_host.ClientFor("alice"));

        var anonymous = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(null, project.Id, null, ct));
        var mallory = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("mallory", project.Id, null, ct));
        var evil = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("alice", project.Id, null, ct, origin: "https://evil.example"));
        using var allowed = await ConnectAsync("alice", project.Id, null, ct, origin: "https://portal.example");
        using var own = await ConnectAsync("alice", project.Id, null, ct, origin: "http://localhost");
        using var browser = await ConnectAsync(null, project.Id, null, ct, queryToken: Tokens.Valid("alice", "client"));

        Assert.Contains("401", anonymous.Message, StringComparison.Ordinal);
        Assert.Contains("404", mallory.Message, StringComparison.Ordinal);
        Assert.Contains("403", evil.Message, StringComparison.Ordinal);
        Assert.Equal("projectCreated", (await ReceiveAsync(allowed, ct))!.Value.Type);
        Assert.Equal("projectCreated", (await ReceiveAsync(own, ct))!.Value.Type);
        Assert.Equal("projectCreated", (await ReceiveAsync(browser, ct))!.Value.Type);

        var plain = await _host.ClientFor("alice").GetAsync($"/api/projects/{project.Id}/events/ws", ct);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
    }

    [Fact]
    public async Task The_SSE_stream_refuses_a_foreign_origin_and_sends_heartbeat_comments_while_idle()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var project = await WebHostFactory.SubmitAsync(alice);

        using var evil = Stream(project.Id, "https://evil.example");
        var refused = await alice.SendAsync(evil, ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("AllowedOrigins", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        using var own = Stream(project.Id, "http://localhost");
        using var response = await alice.SendAsync(own, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line == ": heartbeat" && lines.Contains($"id: {project.Version}"))
            {
                break; // the history, then (idle) a comment
            }
        }

        Assert.Contains(": heartbeat", lines);
        Assert.True(lines.IndexOf($"id: {project.Version}") < lines.LastIndexOf(": heartbeat"));
    }

    private static HttpRequestMessage Stream(string projectId, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Origin", origin);
        return request;
    }

    private async Task<WebSocket> ConnectAsync(string? subject, string projectId, long? lastEventId, CancellationToken ct, string? origin = null, string? queryToken = null)
    {
        var client = _host.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            if (subject is not null)
            {
                request.Headers.Authorization = "Bearer " + Tokens.Valid(subject, "client");
            }

            if (origin is not null)
            {
                request.Headers.Origin = origin;
            }
        };
        string query = string.Join('&', new[] { lastEventId is { } l ? $"lastEventId={l}" : null, queryToken is { } t ? $"access_token={t}" : null }.Where(q => q is not null));
        return await client.ConnectAsync(new Uri(_host.Server.BaseAddress, $"api/projects/{projectId}/events/ws" + (query.Length > 0 ? "?" + query : "")), ct);
    }

    private static async Task<(long Id, string Type)?> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30)); // a hang fails the test instead of blocking it
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                break;
            }
        }

        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray()));
        var root = json.RootElement;
        Assert.Equal(root.GetProperty("id").GetInt64(), root.GetProperty("data").GetProperty("version").GetInt64());
        return (root.GetProperty("id").GetInt64(), root.GetProperty("type").GetString()!);
    }
}
