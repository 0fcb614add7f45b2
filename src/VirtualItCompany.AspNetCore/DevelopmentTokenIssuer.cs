using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace VirtualItCompany.AspNetCore;

/// <summary>Signs tokens for the development token endpoint with the configured key, as an identity provider would.</summary>
internal sealed class DevelopmentTokenIssuer(IOptions<VirtualItCompanyJwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public DevelopmentTokenResponse Issue(string subject, string role)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var expires = now + o.TokenLifetime;
        string token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(o.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
        return new DevelopmentTokenResponse(token, expires);
    }
}
