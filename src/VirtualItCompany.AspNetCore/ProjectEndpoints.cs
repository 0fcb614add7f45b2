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
        read.MapGet("", List)
            .WithName("VirtualItCompany.ListProjects").WithSummary("Lists the user's projects (an admin's: all), newest first, by page; filter by status and stage.")
            .Produces<ProjectPage>().ProducesProblem(StatusCodes.Status400BadRequest);
        read.MapGet("/{id}", Get)
            .WithName("VirtualItCompany.GetProject").Produces<ProjectView>().ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/{id}/events", Events)
            .WithName("VirtualItCompany.ProjectEvents")
            .WithSummary("The project's events as Server-Sent Events (id = event version): the history after Last-Event-ID (header, or the lastEventId query parameter), then live ones, until the project ends.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);

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
        var brief = new ProjectBrief
        {
            Title = request.Title,
            Description = request.Description,
            AcceptanceCriteria = request.AcceptanceCriteria ?? [],
            Budget = request.Budget,
            Client = owner,
        };
        if (brief.GetProblems() is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["brief"] = [.. problems] }, title: "The brief is not valid");
        }

        try
        {
            var project = await company.SubmitAsync(brief, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path}/{project.Id.Value}", ProjectView.Of(project));
        }
        catch (InvalidBriefException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["brief"] = [.. e.Problems] }, title: "The brief is not valid");
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

    private static async Task<IResult> Events(HttpContext http, string id, IDeliveryCompany company, CancellationToken cancellationToken)
    {
        var project = await FindAsync(company, http.User, id, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            return Problems.NotFound();
        }

        // A reconnecting EventSource sends the last id it received in the header; a first connection may pass it in the query.
        string? last = http.Request.Headers["Last-Event-ID"] is { Count: > 0 } header ? header.ToString() : http.Request.Query["lastEventId"] is { Count: > 0 } q ? q.ToString() : null;
        long after = 0;
        if (last is not null && (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            return Problems.BadRequest($"Last-Event-ID is '{last}'; it must be an event version (a whole number, 0 or more) this stream sent.");
        }

        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        return TypedResults.ServerSentEvents(Stream(company, project.Id, after, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(IDeliveryCompany company, ProjectId projectId, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = company.WatchAsync(projectId, after, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ProjectEvent next;
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break; // the project ended
                    }

                    next = events.Current;
                }
                catch (OperationCanceledException)
                {
                    yield break; // the client went away, or the company stops
                }

                yield return new SseItem<string>(EventJson(next), EventType(next)) { EventId = next.Version.ToString(CultureInfo.InvariantCulture) };
            }
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }
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
