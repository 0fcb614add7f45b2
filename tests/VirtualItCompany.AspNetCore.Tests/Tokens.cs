using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace VirtualItCompany.AspNetCore.Tests;

/// <summary>Tokens made here, as an identity provider would, not by the host: valid ones and every way of being wrong.</summary>
public static class Tokens
{
    public static string Valid(string subject, string role) => Create(subject, role);

    public static string Create(
        string subject,
        string role,
        string issuer = WebHostFactory.Issuer,
        string audience = WebHostFactory.Audience,
        string key = WebHostFactory.SigningKey,
        string algorithm = SecurityAlgorithms.HmacSha256,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? expires = null,
        bool withExpiry = true)
    {
        var now = DateTimeOffset.UtcNow;
        var nbf = notBefore ?? now.AddMinutes(-1);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = nbf.UtcDateTime,
            NotBefore = nbf.UtcDateTime,
            Expires = withExpiry ? (expires ?? now.AddMinutes(30)).UtcDateTime : null,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token ("alg": "none") with valid claims.</summary>
    public static string AlgNone(string subject, string role)
    {
        var parts = Valid(subject, role).Split('.');
        string header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        return $"{header}.{parts[1]}.";
    }

    /// <summary>A valid client token whose payload was edited to say admin, signature kept.</summary>
    public static string TamperedRole(string subject)
    {
        var parts = Valid(subject, "client").Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["role"] = "admin";
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }
}
