using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualItCompany.AspNetCore;

/// <summary>
/// How webhook deliveries are signed: <c>HMAC-SHA256(secret, "{timestamp}." + body)</c> over the raw body bytes, the
/// timestamp in Unix seconds. A delivery carries <see cref="TimestampHeader"/>, <see cref="SignatureHeader"/>
/// (<c>sha256=</c> and lowercase hex) and <see cref="DeliveryHeader"/>. A receiver recomputes the signature from the raw
/// bytes it received, compares in constant time, refuses a timestamp outside its replay window (5 minutes by default) and
/// drops a delivery id it has already processed.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header carrying the signing time, in Unix seconds.</summary>
    public const string TimestampHeader = "X-VirtualItCompany-Timestamp";

    /// <summary>The header carrying the signature: <c>sha256=</c> followed by the lowercase hex HMAC.</summary>
    public const string SignatureHeader = "X-VirtualItCompany-Signature";

    /// <summary>The header carrying the delivery's id, the same on every retry.</summary>
    public const string DeliveryHeader = "X-VirtualItCompany-Delivery";

    /// <summary>The header carrying the event's type, such as <c>stageChanged</c>.</summary>
    public const string EventHeader = "X-VirtualItCompany-Event";

    /// <summary>Computes the signature header's value.</summary>
    /// <param name="secret">The subscription's secret.</param>
    /// <param name="timestamp">The signing time, in Unix seconds.</param>
    /// <param name="body">The raw body.</param>
    /// <returns><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <c>"{timestamp}."</c> followed by the body.</returns>
    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        byte[] prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        byte[] signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Checks a signature and its timestamp against the replay window.</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="timestampHeader">The <see cref="TimestampHeader"/> value received.</param>
    /// <param name="signatureHeader">The <see cref="SignatureHeader"/> value received.</param>
    /// <param name="body">The raw body received.</param>
    /// <param name="now">The receiver's time.</param>
    /// <param name="replayWindow">How far the timestamp may be from <paramref name="now"/>.</param>
    /// <returns>Whether the signature is right and the timestamp within the window.</returns>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan replayWindow)
    {
        if (string.IsNullOrEmpty(secret) || signatureHeader is null
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp)
            || Math.Abs(now.ToUnixTimeSeconds() - timestamp) > replayWindow.TotalSeconds)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, timestamp, body)), Encoding.ASCII.GetBytes(signatureHeader));
    }
}
