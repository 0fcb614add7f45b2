namespace VirtualItCompany;

/// <summary>A deployment's health was checked.</summary>
/// <param name="Environment">The environment.</param>
/// <param name="Url">The URL checked.</param>
/// <param name="Healthy">Whether it answered as healthy.</param>
/// <param name="StatusCode">The HTTP status code, when it answered.</param>
public sealed record HealthChecked(string Environment, Uri Url, bool Healthy, int? StatusCode) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Health of {Environment}: {(Healthy ? "healthy" : "unhealthy")} ({StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"})";
}
