using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualItCompany.AspNetCore.Tests;

/// <summary>Project events as Server-Sent Events over a real socket (Kestrel on 127.0.0.1): a reconnect from Last-Event-ID loses and repeats nothing.</summary>
public sealed class EventStreamTests : IAsyncLifetime
{
    private readonly WebHostFactory _host = new(kestrel: true);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_dropped_stream_resumed_from_Last_Event_ID_has_no_gap_and_no_duplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var project = await WebHostFactory.SubmitAsync(alice);
        var seen = new List<SseEvent>();

        // First connection: the history so far, then the connection drops.
        using (var first = await OpenAsync(alice, project.Id, lastEventId: null, ct))
        {
            while (seen.Count == 0 || seen[^1].Id < project.Version)
            {
                seen.Add(await first.NextAsync(ct) ?? throw new InvalidOperationException("the stream ended early"));
            }
        }

        // While no one listens, the project moves on.
        (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/pause", new { text = "lunch" }, ct)).EnsureSuccessStatusCode();
        (await alice.PostAsync($"/api/projects/{project.Id}/resume", null, ct)).EnsureSuccessStatusCode();
        (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/budget", new { amount = 1m }, ct)).EnsureSuccessStatusCode();

        // Second connection from the last id received: what was missed, then live events, until the project ends.
        using (var second = await OpenAsync(alice, project.Id, lastEventId: seen[^1].Id, ct))
        {
            seen.Add(await second.NextAsync(ct) ?? throw new InvalidOperationException("no missed event was replayed"));
            (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/pause", new { text = "again" }, ct)).EnsureSuccessStatusCode();
            (await alice.PostAsJsonAsync($"/api/projects/{project.Id}/cancel", new { text = "done" }, ct)).EnsureSuccessStatusCode();
            while (await second.NextAsync(ct) is { } e)
            {
                seen.Add(e);
            }
        }

        var final = await alice.GetFromJsonAsync<ProjectView>($"/api/projects/{project.Id}", ct);
        Assert.Equal(Enumerable.Range(1, (int)final!.Version).Select(v => (long)v), seen.Select(e => e.Id));
        Assert.Equal("projectCreated", seen[0].Type);
        Assert.Equal("projectCancelled", seen[^1].Type);
        Assert.Contains(seen, e => e.Type == "projectPaused");
        Assert.Contains(seen, e => e.Type == "budgetIncreased");
        foreach (var e in seen)
        {
            using var data = JsonDocument.Parse(e.Data);
            Assert.Equal(e.Id, data.RootElement.GetProperty("version").GetInt64());
            Assert.Equal(e.Type, data.RootElement.GetProperty("$type").GetString());
            Assert.Equal(project.Id, data.RootElement.GetProperty("projectId").GetString());
        }
    }

    [Fact]
    public async Task A_browser_EventSource_passes_the_token_and_the_first_id_in_the_query()
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var project = await WebHostFactory.SubmitAsync(alice);
        (await alice.PostAsync($"/api/projects/{project.Id}/cancel", null, ct)).EnsureSuccessStatusCode();
        using var browser = new HttpClient { BaseAddress = _host.ServerAddress };
        string token = Tokens.Valid("alice", "client");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{project.Id}/events?lastEventId=1&access_token={token}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await browser.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        using var stream = new SseReader(await response.Content.ReadAsStreamAsync(ct));
        var ids = new List<long>();
        while (await stream.NextAsync(ct) is { } e)
        {
            ids.Add(e.Id);
        }

        var elsewhere = await browser.GetAsync($"/api/projects/{project.Id}?access_token={token}", ct);
        var notAStream = await browser.GetAsync($"/api/projects/{project.Id}/events?access_token={token}", ct);
        using var mallorysRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{project.Id}/events?access_token={Tokens.Valid("mallory", "client")}");
        mallorysRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var mallorys = await browser.SendAsync(mallorysRequest, ct);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Enumerable.Range(2, (int)project.Version).Select(v => (long)v), ids);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notAStream.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, mallorys.StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task A_bad_Last_Event_ID_is_400(string last)
    {
        var ct = TestContext.Current.CancellationToken;
        var alice = _host.ClientFor("alice");
        var project = await WebHostFactory.SubmitAsync(alice);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{project.Id}/events");
        request.Headers.Add("Last-Event-ID", last);

        var response = await alice.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<SseReader> OpenAsync(HttpClient http, string projectId, long? lastEventId, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new SseReader(await response.Content.ReadAsStreamAsync(ct), response);
    }

    private sealed record SseEvent(long Id, string Type, string Data);

    /// <summary>A reader of the text/event-stream format written here from its specification (fields id, event, data; a blank line ends an event).</summary>
    private sealed class SseReader(Stream stream, IDisposable? owner = null) : IDisposable
    {
        private readonly StreamReader _reader = new(stream);

        public async Task<SseEvent?> NextAsync(CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30)); // a hang fails the test instead of blocking it
            string? id = null, type = null;
            var data = new List<string>();
            while (await _reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        return new SseEvent(long.Parse(id!, System.Globalization.CultureInfo.InvariantCulture), type ?? "message", string.Join("\n", data));
                    }

                    continue;
                }

                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string field = colon < 0 ? line : line[..colon];
                string value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": type = value; break;
                    case "data": data.Add(value); break;
                }
            }

            return null; // the server ended the stream
        }

        public void Dispose()
        {
            _reader.Dispose();
            owner?.Dispose();
        }
    }
}
