namespace VirtualItCompany.AspNetCore;

/// <summary>Limits of the HTTP API mounted by <see cref="VirtualItCompanyEndpointRouteBuilderExtensions.MapVirtualItCompany"/>; bound from <c>VirtualItCompany:Api</c>.</summary>
public sealed class VirtualItCompanyApiOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "VirtualItCompany:Api";

    /// <summary>Gets or sets the largest request body accepted, in bytes; larger ones get 413 and nothing is stored. The default (256 KiB) holds the largest valid brief.</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Gets or sets how many briefs one user may submit per <see cref="SubmitWindow"/> (submitting spends money); more get 429.</summary>
    public int SubmitPermitLimit { get; set; } = 5;

    /// <summary>Gets or sets the window of <see cref="SubmitPermitLimit"/>.</summary>
    public TimeSpan SubmitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many other requests one user (or, signed out, one address) may make per <see cref="RequestWindow"/>; more get 429.</summary>
    public int RequestPermitLimit { get; set; } = 300;

    /// <summary>Gets or sets the window of <see cref="RequestPermitLimit"/>.</summary>
    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the largest page of a project listing.</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>Gets or sets how often an idle Server-Sent Events stream sends a comment (<c>: heartbeat</c>), so that proxies and clients see the connection alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets the origins (such as <c>https://portal.example</c>), besides the app's own, whose pages may open the
    /// event streams (SSE and WebSocket); a request with another <c>Origin</c> header gets 403. Requests without an
    /// <c>Origin</c> header (not from a browser) are not refused by this check.
    /// </summary>
    public IList<string> AllowedOrigins { get; set; } = [];

    /// <summary>Lists every problem of these options.</summary>
    /// <returns>The problems, each a sentence a user can act on; empty when valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (MaxRequestBodyBytes < 1024)
        {
            problems.Add($"MaxRequestBodyBytes is {MaxRequestBodyBytes}; set {SectionName}:MaxRequestBodyBytes to 1024 or more.");
        }

        if (SubmitPermitLimit < 1 || RequestPermitLimit < 1)
        {
            problems.Add($"SubmitPermitLimit ({SubmitPermitLimit}) and RequestPermitLimit ({RequestPermitLimit}) must be 1 or more.");
        }

        if (SubmitWindow <= TimeSpan.Zero || RequestWindow <= TimeSpan.Zero)
        {
            problems.Add($"SubmitWindow ({SubmitWindow}) and RequestWindow ({RequestWindow}) must be longer than zero.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            problems.Add($"HeartbeatInterval is {HeartbeatInterval}; it must be longer than zero.");
        }

        if (AllowedOrigins is null || AllowedOrigins.Any(o => !Uri.TryCreate(o, UriKind.Absolute, out var uri) || uri.GetLeftPart(UriPartial.Authority) != o.TrimEnd('/')))
        {
            problems.Add($"AllowedOrigins must be origins such as 'https://portal.example' (scheme, host and port only), not '{string.Join("', '", AllowedOrigins ?? [])}'.");
        }

        if (MaxPageSize < 1)
        {
            problems.Add($"MaxPageSize is {MaxPageSize}; it must be 1 or more.");
        }

        return problems;
    }
}
