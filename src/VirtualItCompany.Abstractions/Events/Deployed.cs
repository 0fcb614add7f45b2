namespace VirtualItCompany;

/// <summary>The project was deployed to an environment.</summary>
/// <param name="Environment">The environment, e.g. staging.</param>
/// <param name="Url">Where the deployment answers.</param>
public sealed record Deployed(string Environment, Uri Url) : ProjectEvent
{
    /// <inheritdoc />
    public override string Description => $"Deployed to {Environment} at {Url}";
}
