using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VirtualItCompany.AspNetCore;

/// <summary>Security headers on every response.</summary>
public static class SecurityHeadersApplicationBuilderExtensions
{
    /// <summary>The default Content-Security-Policy: everything from the app's own origin only, no inline script or style, no framing.</summary>
    public const string DefaultContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Adds, to every response, <c>Content-Security-Policy</c> (no inline script), <c>X-Content-Type-Options: nosniff</c>,
    /// <c>Referrer-Policy: no-referrer</c>, <c>X-Frame-Options: DENY</c>, <c>Cross-Origin-Opener-Policy: same-origin</c> and
    /// <c>Permissions-Policy</c> turning off camera, microphone and geolocation. Add it early, before static files and endpoints.
    /// </summary>
    /// <param name="app">The app.</param>
    /// <param name="contentSecurityPolicy">The policy; <see langword="null"/> for <see cref="DefaultContentSecurityPolicy"/>.</param>
    /// <returns>The app.</returns>
    public static IApplicationBuilder UseVirtualItCompanySecurityHeaders(this IApplicationBuilder app, string? contentSecurityPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        string csp = contentSecurityPolicy ?? DefaultContentSecurityPolicy;
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = csp;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return next(context);
        });
    }
}
