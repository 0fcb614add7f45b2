using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace VirtualItCompany.AspNetCore;

/// <summary>The API's errors, all as problem details (RFC 9457).</summary>
internal static class Problems
{
    /// <summary>A 400 listing what is wrong with a brief.</summary>
    public static IResult InvalidBrief(IEnumerable<string> problems) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["brief"] = [.. problems] }, title: "The brief is not valid");

    public static IResult NotFound() =>
        TypedResults.Problem("No project with that id exists for you.", statusCode: StatusCodes.Status404NotFound, title: "Project not found");

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "The project cannot do that now");

    public static IResult ForbiddenOrigin(string origin) =>
        TypedResults.Problem($"Pages from the origin '{origin}' may not open this stream; add it to VirtualItCompany:Api:AllowedOrigins if it is yours.", statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed");

    public static IResult TooLarge(long limit) =>
        TypedResults.Problem($"The request body is larger than {limit} bytes; nothing was stored.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public static async Task Write(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var writer = http.RequestServices.GetService<IProblemDetailsService>();
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (writer is null || !await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }).ConfigureAwait(false))
        {
            await http.Response.WriteAsync(detail, http.RequestAborted).ConfigureAwait(false);
        }
    }
}
