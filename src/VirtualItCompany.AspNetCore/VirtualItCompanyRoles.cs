namespace VirtualItCompany.AspNetCore;

/// <summary>The roles (the <c>role</c> claim) and authorization policies of the API.</summary>
public static class VirtualItCompanyRoles
{
    /// <summary>An operator: sees and acts on every project, and the admin views.</summary>
    public const string Admin = "admin";

    /// <summary>A client: submits briefs and sees and acts on its own projects only.</summary>
    public const string Client = "client";

    /// <summary>The policy of the project endpoints: the <see cref="Client"/> or <see cref="Admin"/> role.</summary>
    public const string ClientPolicy = "VirtualItCompany.Client";

    /// <summary>The policy of the admin endpoints: the <see cref="Admin"/> role.</summary>
    public const string AdminPolicy = "VirtualItCompany.Admin";

    /// <summary>The rate-limiting policy of brief submission (it spends money).</summary>
    public const string SubmitRateLimitPolicy = "VirtualItCompany.Submit";

    /// <summary>The rate-limiting policy of every other endpoint.</summary>
    public const string RequestRateLimitPolicy = "VirtualItCompany.Requests";
}
