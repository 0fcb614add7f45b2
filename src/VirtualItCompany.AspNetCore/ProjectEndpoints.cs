using System.Globalization;
using System.IO.Compression;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.AspNetCore;

/// <summary>The project endpoints: a client sees and acts on its own projects only, an admin on all; another client's project is 404, as an unknown one.</summary>
internal static class ProjectEndpoints
{
    private const string Json = "application/json";

    public static void Map(RouteGroupBuilder projects)
    {
        projects.MapPost("", Submit)
            .RequireRateLimiting(VirtualItCompanyRoles.SubmitRateLimitPolicy)
            .WithName("VirtualItCompany.Submit").WithSummary("Submits a brief; the signed-in user owns the project.")
            .Accepts<BriefRequest>(Json).Produces<ProjectView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        var read = projects.MapGroup("").RequireRateLimiting(VirtualItCompanyRoles.RequestRateLimitPolicy);
        read.MapPost("/estimate", CostEstimator.Endpoint)
            .WithName("VirtualItCompany.EstimateCost")
            .WithSummary("Estimates (not quotes) what a brief would cost in model calls, from the lifecycle's stages and the registered model profiles; submits nothing.")
            .Accepts<BriefRequest>(Json).Produces<CostEstimateView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        read.MapGet("", List)
            .WithName("VirtualItCompany.ListProjects").WithSummary("Lists the user's projects (an admin's: all), newest first, by page; filter by status and stage.")
            .Produces<ProjectPage>().ProducesProblem(StatusCodes.Status400BadRequest);
        read.MapGet("/{id}", Get)
            .WithName("VirtualItCompany.GetProject").Produces<ProjectView>().ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/{id}/events", Events)
            .WithName("VirtualItCompany.ProjectEvents")
            .WithSummary("The project's events as Server-Sent Events (id = event version): the history after Last-Event-ID (header, or the lastEventId query parameter), then live ones, until the project ends.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);

        read.MapGet("/{id}/events/ws", EventsWebSocket)
            .WithName("VirtualItCompany.ProjectEventsWebSocket")
            .WithSummary("The project's events over a WebSocket: one JSON text message per event ({ id, type, data }), the history after ?lastEventId=, then live ones; closed normally when the project ends.")
            .Produces(StatusCodes.Status101SwitchingProtocols).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        Action(read, "answer", "Answers the team's question.", (c, id, body, ct) => c.AnswerAsync(id, body!.Text, ct), ApiJsonContext.Default.TextRequest, optional: false);
        Action(read, "approve", "Approves what the client was asked to review.", (c, id, body, ct) => c.ApproveAsync(id, body?.Text, ct), ApiJsonContext.Default.OptionalTextRequest, optional: true);
        Action(read, "request-changes", "Asks for changes to what the client was asked to review.", (c, id, body, ct) => c.RequestChangesAsync(id, body!.Text, ct), ApiJsonContext.Default.TextRequest, optional: false);
        Action(read, "budget", "Adds budget to the project.", (c, id, body, ct) => c.AddBudgetAsync(id, body!.Amount, ct), ApiJsonContext.Default.BudgetRequest, optional: false);
        Action(read, "pause", "Pauses the project.", (c, id, body, ct) => body?.Text is { } reason ? c.PauseAsync(id, reason, ct) : c.PauseAsync(id, cancellationToken: ct), ApiJsonContext.Default.OptionalTextRequest, optional: true);
        Action(read, "resume", "Resumes the paused project.", (c, id, _, ct) => c.ResumeAsync(id, ct), ApiJsonContext.Default.OptionalTextRequest, optional: true);
        Action(read, "cancel", "Cancels the project.", (c, id, body, ct) => body?.Text is { } reason ? c.CancelAsync(id, reason, ct) : c.CancelAsync(id, cancellationToken: ct), ApiJsonContext.Default.OptionalTextRequest, optional: true);

        read.MapGet("/{id}/artifacts", Artifacts)
            .WithName("VirtualItCompany.ListArtifacts").WithSummary("Lists the delivered files (latest versions).")
            .Produces<IReadOnlyList<ArtifactView>>().ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/{id}/artifacts.zip", Zip)
            .WithName("VirtualItCompany.DownloadArtifacts").WithSummary("Downloads the delivered code as a zip.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip").ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/{id}/artifacts/{**path}", Artifact)
            .WithName("VirtualItCompany.DownloadArtifact").WithSummary("Downloads one delivered file (latest version).")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void Action<TBody>(RouteGroupBuilder group, string name, string summary, Func<IDeliveryCompany, ProjectId, TBody?, CancellationToken, Task<ProjectSnapshot>> action, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TBody> body, bool optional)
        where TBody : class
    {
        group.MapPost("/{id}/" + name, async (HttpContext http, string id, IDeliveryCompany company, IOptions<VirtualItCompanyApiOptions> options, CancellationToken cancellationToken) =>
            {
                var project = await FindAsync(company, http.User, id, cancellationToken).ConfigureAwait(false);
                if (project is null)
                {
                    return Problems.NotFound();
                }

                var read = await JsonBody.ReadAsync(http, body, options.Value.MaxRequestBodyBytes, optional).ConfigureAwait(false);
                if (read.Error is not null)
                {
                    return read.Error;
                }

                try
                {
                    return TypedResults.Ok(ProjectView.Of(await action(company, project.Id, read.Value, cancellationToken).ConfigureAwait(false)));
                }
                catch (ProjectNotFoundException)
                {
                    return Problems.NotFound();
                }
                catch (InvalidProjectOperationException e)
                {
                    return Problems.Conflict(e.Message);
                }
                catch (ArgumentException e)
                {
                    return Problems.BadRequest(e.Message);
                }
            })
            .WithName("VirtualItCompany." + name).WithSummary(summary)
            .Accepts<TBody>(optional, Json).Produces<ProjectView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    internal static async Task<ProjectSnapshot?> FindAsync(IDeliveryCompany company, ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        if (!ProjectId.TryParse(id, out var projectId))
        {
            return null;
        }

        try
        {
            var project = await company.GetAsync(projectId, cancellationToken).ConfigureAwait(false);
            return Ownership.MayAccess(user, project) ? project : null;
        }
        catch (ProjectNotFoundException)
        {
            return null;
        }
    }

    private static async Task<IResult> Submit(HttpContext http, IDeliveryCompany company, IOptions<VirtualItCompanyApiOptions> options, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadAsync(http, ApiJsonContext.Default.BriefRequest, options.Value.MaxRequestBodyBytes, optional: false).ConfigureAwait(false);
        if (read.Error is not null)
        {
            return read.Error;
        }

        if (Ownership.UserId(http.User) is not { } owner)
        {
            return Problems.BadRequest("The token has no 'sub' claim: the project needs an owner.");
        }

        var request = read.Value!;
        var brief = request.ToBrief(owner);
        if (brief.GetProblems() is { Count: > 0 } problems)
        {
            return Problems.InvalidBrief(problems);
        }

        try
        {
            var project = await company.SubmitAsync(brief, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path}/{project.Id.Value}", ProjectView.Of(project));
        }
        catch (InvalidBriefException e)
        {
            return Problems.InvalidBrief(e.Problems);
        }
    }

    private static async Task<IResult> List(HttpContext http, IDeliveryCompany company, IOptions<VirtualItCompanyApiOptions> options, CancellationToken cancellationToken) =>
        await ListAsync(http, company, options.Value, Ownership.IsAdmin(http.User) ? null : Ownership.UserId(http.User) ?? "\0", cancellationToken).ConfigureAwait(false);

    /// <summary>Lists the projects of one owner (or all, for <see langword="null"/>) by page, filtered by the query's status and stage.</summary>
    internal static async Task<IResult> ListAsync(HttpContext http, IDeliveryCompany company, VirtualItCompanyApiOptions options, string? owner, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        ProjectStatus? status = null;
        if (query["status"] is { Count: > 0 } statusText)
        {
            if (!Enum.TryParse<ProjectStatus>(statusText.ToString(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsDigit(statusText.ToString()[0]))
            {
                return Problems.BadRequest($"status is '{statusText}'; use one of {string.Join(", ", Enum.GetNames<ProjectStatus>())}.");
            }

            status = parsed;
        }

        string? stage = query["stage"] is { Count: > 0 } stageText ? stageText.ToString() : null;
        if (stage is { Length: 0 or > 100 })
        {
            return Problems.BadRequest("stage must be a stage name of 1 to 100 characters, such as Development.");
        }

        if (!TryInt(query["page"], 1, 1, int.MaxValue, out int page) || !TryInt(query["pageSize"], 20, 1, options.MaxPageSize, out int pageSize))
        {
            return Problems.BadRequest($"page must be 1 or more, and pageSize from 1 to {options.MaxPageSize}.");
        }

        var items = new List<ProjectView>();
        int total = 0;
        long skip = (long)(page - 1) * pageSize;
        await foreach (var project in company.ListAsync(status, cancellationToken).ConfigureAwait(false))
        {
            if ((owner is not null && !string.Equals(project.Brief.Client, owner, StringComparison.Ordinal))
                || (stage is not null && !string.Equals(project.Stage.Value, stage, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (total >= skip && items.Count < pageSize)
            {
                items.Add(ProjectView.Of(project));
            }

            total++;
        }

        return TypedResults.Ok(new ProjectPage(items, page, pageSize, total));
    }

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return text.Count == 0 || (int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }

    private static async Task<IResult> Get(HttpContext http, string id, IDeliveryCompany company, CancellationToken cancellationToken) =>
        await FindAsync(company, http.User, id, cancellationToken).ConfigureAwait(false) is { } project ? TypedResults.Ok(ProjectView.Of(project)) : Problems.NotFound();

    private static async Task<IResult> Events(HttpContext http, string id, IDeliveryCompany company, IOptions<VirtualItCompanyApiOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var project = await FindAsync(company, http.User, id, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            return Problems.NotFound();
        }

        if (!OriginAllowed(http, options.Value))
        {
            return Problems.ForbiddenOrigin(http.Request.Headers.Origin.ToString());
        }

        // A reconnecting EventSource sends the last id it received in the header; a first connection may pass it in the query.
        string? last = http.Request.Headers["Last-Event-ID"] is { Count: > 0 } header ? header.ToString() : http.Request.Query["lastEventId"] is { Count: > 0 } q ? q.ToString() : null;
        if (!TryAfter(last, out long after))
        {
            return Problems.BadRequest($"Last-Event-ID is '{last}'; it must be an event version (a whole number, 0 or more) this stream sent.");
        }

        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        return TypedResults.ServerSentEvents(Stream(company, project.Id, after, http.Response.Body, options.Value.HeartbeatInterval, time, cancellationToken));
    }

    private static bool TryAfter(string? last, out long after)
    {
        after = 0;
        return last is null || (long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out after) && after >= 0);
    }

    /// <summary>Whether the request's <c>Origin</c> (sent by browsers) is the app's own or an allowed one; a request without one passes.</summary>
    internal static bool OriginAllowed(HttpContext http, VirtualItCompanyApiOptions options)
    {
        if (http.Request.Headers.Origin is not { Count: > 0 } origin)
        {
            return true;
        }

        string value = origin.ToString().TrimEnd('/');
        return string.Equals(value, $"{http.Request.Scheme}://{http.Request.Host.Value}", StringComparison.OrdinalIgnoreCase)
            || options.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), value, StringComparison.OrdinalIgnoreCase));
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(IDeliveryCompany company, ProjectId projectId, long after, Stream body, TimeSpan heartbeat, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = company.WatchAsync(projectId, after, cancellationToken).GetAsyncEnumerator(cancellationToken);
        Task<bool>? move = null;
        try
        {
            while (true)
            {
                ProjectEvent next;
                try
                {
                    move = events.MoveNextAsync().AsTask();
                    while (!await WaitOrTimeAsync(move, heartbeat, time, cancellationToken).ConfigureAwait(false))
                    {
                        // Idle: a comment line, which EventSource ignores. The SSE result writes and flushes each item whole and
                        // is waiting for the next one now, so writing between items cannot interleave with it.
                        await body.WriteAsync(": heartbeat\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (!await move.ConfigureAwait(false))
                    {
                        yield break; // the project ended
                    }

                    next = events.Current;
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    yield break; // the client went away, or the company stops
                }

                yield return new SseItem<string>(EventJson(next), EventType(next)) { EventId = next.Version.ToString(CultureInfo.InvariantCulture) };
            }
        }
        finally
        {
            await DisposeAfterAsync(events, move).ConfigureAwait(false);
        }
    }

    // Whether the task completed (true) or the interval passed first (false).
    private static async Task<bool> WaitOrTimeAsync(Task task, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval, time, tick.Token);
        var first = await Task.WhenAny(task, delay).ConfigureAwait(false);
        await tick.CancelAsync().ConfigureAwait(false);
        return first == task || cancellationToken.IsCancellationRequested;
    }

    private static async ValueTask DisposeAfterAsync(IAsyncEnumerator<ProjectEvent> events, Task<bool>? pending)
    {
        if (pending is { IsCompleted: false })
        {
            try
            {
                await pending.ConfigureAwait(false); // the request's token is cancelled: it ends soon
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // the client went away
            }
        }

        await events.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<IResult> EventsWebSocket(HttpContext http, string id, IDeliveryCompany company, IOptions<VirtualItCompanyApiOptions> options, CancellationToken cancellationToken)
    {
        var project = await FindAsync(company, http.User, id, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            return Problems.NotFound();
        }

        if (!OriginAllowed(http, options.Value))
        {
            return Problems.ForbiddenOrigin(http.Request.Headers.Origin.ToString());
        }

        string? last = http.Request.Query["lastEventId"] is { Count: > 0 } q ? q.ToString() : null;
        if (!TryAfter(last, out long after))
        {
            return Problems.BadRequest($"lastEventId is '{last}'; it must be an event version (a whole number, 0 or more) this stream sent.");
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.BadRequest("This endpoint speaks WebSocket: connect with an upgrade request (ws:// or wss://), or use /events for Server-Sent Events.");
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveUntilClosedAsync(socket, stop);
        try
        {
            await foreach (var e in company.WatchAsync(project.Id, after, stop.Token).ConfigureAwait(false))
            {
                await socket.SendAsync(WebSocketMessage(e), System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, stop.Token).ConfigureAwait(false);
            }

            if (socket.State == System.Net.WebSockets.WebSocketState.Open)
            {
                await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "The project ended.", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException)
        {
            // the client closed or went away, or the company stops
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await receiving.ConfigureAwait(false);
        }

        if (socket.State == System.Net.WebSockets.WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "Bye.", cancellationToken).ConfigureAwait(false); // complete the client's close handshake
            }
            catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException)
            {
                // it went away meanwhile
            }
        }

        return Results.Empty;
    }

    // Reads (and drops) what the client sends until it closes, then stops the sending loop.
    private static async Task ReceiveUntilClosedAsync(System.Net.WebSockets.WebSocket socket, CancellationTokenSource stop)
    {
        byte[] buffer = new byte[1024];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException)
        {
            // cancelled by the sender's end, or the connection dropped
        }

        await stop.CancelAsync().ConfigureAwait(false);
    }

    private static byte[] WebSocketMessage(ProjectEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", e.Version);
            json.WriteString("type", EventType(e));
            json.WritePropertyName("data");
            json.WriteRawValue(EventJson(e));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    internal static string EventType(ProjectEvent e)
    {
        string name = e.GetType().Name;
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    internal static string EventJson(ProjectEvent e)
    {
        try
        {
            return ProjectEventSerializer.Serialize(e);
        }
        catch (NotSupportedException)
        {
            // A custom event this process does not know how to write: its kind, version and one-line description.
            return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["$type"] = EventType(e),
                ["version"] = e.Version.ToString(CultureInfo.InvariantCulture),
                ["description"] = e.Description,
            }, ApiJsonContext.Default.DictionaryStringString);
        }
    }

    private static async Task<IResult> Artifacts(HttpContext http, string id, IDeliveryCompany company, IArtifactStore artifacts, CancellationToken cancellationToken)
    {
        if (await FindAsync(company, http.User, id, cancellationToken).ConfigureAwait(false) is not { } project)
        {
            return Problems.NotFound();
        }

        var list = new List<ArtifactView>();
        await foreach (var a in artifacts.ListAsync(project.Id, cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ArtifactView(a.Path, a.Version, a.Length, a.ContentHash, a.SavedAt));
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return TypedResults.Ok<IReadOnlyList<ArtifactView>>(list);
    }

    private static async Task<IResult> Artifact(HttpContext http, string id, string path, IDeliveryCompany company, IArtifactStore artifacts, CancellationToken cancellationToken)
    {
        if (await FindAsync(company, http.User, id, cancellationToken).ConfigureAwait(false) is not { } project)
        {
            return Problems.NotFound();
        }

        if (await artifacts.ReadAsync(project.Id, path, cancellationToken: cancellationToken).ConfigureAwait(false) is not { } content)
        {
            return TypedResults.Problem($"The project has no file '{path}'.", statusCode: StatusCodes.Status404NotFound, title: "File not found");
        }

        return TypedResults.File(content.ToArray(), "application/octet-stream", Path.GetFileName(path));
    }

    private static async Task<IResult> Zip(HttpContext http, string id, IDeliveryCompany company, IArtifactStore artifacts, CancellationToken cancellationToken)
    {
        if (await FindAsync(company, http.User, id, cancellationToken).ConfigureAwait(false) is not { } project)
        {
            return Problems.NotFound();
        }

        var buffer = new MemoryStream();
        await using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await foreach (var a in artifacts.ListAsync(project.Id, cancellationToken).ConfigureAwait(false))
            {
                string name = a.Path.Replace('\\', '/').TrimStart('/');
                if (name.Length == 0 || name.Split('/').Contains(".."))
                {
                    continue; // never a path that would leave the folder it is unpacked in
                }

                if (await artifacts.ReadAsync(project.Id, a.Path, a.Version, cancellationToken).ConfigureAwait(false) is not { } content)
                {
                    continue;
                }

                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = a.SavedAt;
                var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return TypedResults.File(buffer.ToArray(), "application/zip", project.Id.Value + ".zip");
    }
}
