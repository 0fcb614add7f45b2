using System.Text;

namespace VirtualItCompany.AspNetCore;

/// <summary>How the API's bearer tokens are checked (and, in Development, issued): HMAC-SHA256 signed JWTs; bound from <c>VirtualItCompany:Jwt</c>.</summary>
/// <remarks>Keep <see cref="SigningKey"/> out of source control (user secrets, environment variables, a vault).</remarks>
public sealed class VirtualItCompanyJwtOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "VirtualItCompany:Jwt";

    /// <summary>The fewest bytes of <see cref="SigningKey"/> accepted (HS256 needs 256 bits).</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>Gets or sets the issuer tokens must name (<c>iss</c>).</summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>Gets or sets the audience tokens must name (<c>aud</c>).</summary>
    public string Audience { get; set; } = string.Empty;

    /// <summary>Gets or sets the HMAC-SHA256 key, as text of at least <see cref="MinSigningKeyBytes"/> UTF-8 bytes.</summary>
    public string SigningKey { get; set; } = string.Empty;

    /// <summary>Gets or sets how long tokens issued by the development token endpoint last.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the clock difference tolerated on <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lists every problem of these options.</summary>
    /// <returns>The problems, each a sentence a user can act on; empty when valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Issuer))
        {
            problems.Add($"Issuer is not set; set {SectionName}:Issuer.");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            problems.Add($"Audience is not set; set {SectionName}:Audience.");
        }

        int keyBytes = Encoding.UTF8.GetByteCount(SigningKey ?? string.Empty);
        if (keyBytes < MinSigningKeyBytes)
        {
            problems.Add($"SigningKey has {keyBytes} bytes; set {SectionName}:SigningKey to a secret of at least {MinSigningKeyBytes} bytes (for example from user secrets or an environment variable).");
        }

        if (TokenLifetime <= TimeSpan.Zero || ClockSkew < TimeSpan.Zero)
        {
            problems.Add($"TokenLifetime ({TokenLifetime}) must be longer than zero and ClockSkew ({ClockSkew}) not negative.");
        }

        return problems;
    }
}
