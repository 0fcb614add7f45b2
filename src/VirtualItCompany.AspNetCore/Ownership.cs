using System.Security.Claims;

namespace VirtualItCompany.AspNetCore;

/// <summary>Who a user is and which projects are theirs: a project belongs to the <see cref="ProjectBrief.Client"/> it was submitted for, which the API sets to the submitting user's id.</summary>
internal static class Ownership
{
    public static string? UserId(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? (user.FindFirst("sub") ?? user.FindFirst(ClaimTypes.NameIdentifier))?.Value is { Length: > 0 } id ? id : null
            : null;

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(VirtualItCompanyRoles.Admin);

    /// <summary>Whether the user may see and act on the project: an admin any, a client only its own.</summary>
    public static bool MayAccess(ClaimsPrincipal user, ProjectSnapshot project) =>
        IsAdmin(user) || (UserId(user) is { } id && string.Equals(project.Brief.Client, id, StringComparison.Ordinal));
}
