namespace VirtualItCompany;

/// <summary>
/// Configures a model provider package (<c>AddOpenAI</c>, <c>AddAnthropic</c>, <c>AddOllama</c>...): its key, its address,
/// which of its models to register and what they cost. Set in code, or from <c>VirtualItCompany:Providers:&lt;Name&gt;</c>
/// configuration (<c>ApiKey</c>, <c>Endpoint</c>, <c>NetworkTimeout</c>, and <c>Profiles:&lt;model&gt;:&lt;property&gt;</c> to
/// change any value of a model's profile), or the provider's usual environment variables; code wins over configuration,
/// which wins over the environment.
/// </summary>
public sealed class ModelProviderOptions
{
    /// <summary>Gets or sets the API key; <see langword="null"/> to read it from configuration or the provider's environment variable. Never logged nor put in a message.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the base address of the provider's API; <see langword="null"/> for the provider's default (or its environment variable).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets the provider's model names to register (as its API names them, such as <c>gpt-4o-mini</c>); empty for the models the package ships profiles of.</summary>
    public IList<string> Models { get; } = [];

    /// <summary>Gets profiles for models the package ships none of, or to replace a shipped one; matched to <see cref="Models"/> by <see cref="ModelProfile.ModelId"/>.</summary>
    public IList<ModelProfile> Profiles { get; } = [];

    /// <summary>Gets or sets how long one HTTP call to the provider may take before it counts as timed out.</summary>
    /// <value>The default value is 5 minutes (a long answer from a local model takes a while).</value>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Lists every problem of these options that needs no knowledge of the provider (the provider adds its own, such as a missing key).</summary>
    /// <returns>The problems, as sentences; empty when valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"Endpoint '{endpoint}' is not an absolute http or https address.");
        }

        if (NetworkTimeout <= TimeSpan.Zero)
        {
            problems.Add($"NetworkTimeout is {NetworkTimeout}; it must be more than zero.");
        }

        if (Models.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("Models holds a blank model name.");
        }

        foreach (var profile in Profiles)
        {
            if (profile is null)
            {
                problems.Add("Profiles holds a null profile.");
                continue;
            }

            problems.AddRange(profile.GetProblems());
        }

        return problems;
    }
}
