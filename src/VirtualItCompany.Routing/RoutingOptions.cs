namespace VirtualItCompany.Routing;

/// <summary>Configures the cost-aware router; bound from <c>VirtualItCompany:Routing</c> when configuration is available.</summary>
public sealed class RoutingOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "VirtualItCompany:Routing";

    /// <summary>Gets the catalog overrides: a profile whose id is in <see cref="ModelCatalog.Default"/> (or registered) replaces it, a new one is added.</summary>
    public IList<ModelProfile> Models { get; init; } = [];

    /// <summary>Gets or sets the routing policy.</summary>
    /// <value>The default value is the platform's matrix (<see cref="RoutingPolicy.CreateDefaultBands"/>).</value>
    public RoutingPolicy Policy { get; set; } = new();

    /// <summary>Gets or sets the share of a budget (project or global) past which calls start one band lower.</summary>
    /// <value>The default value is 0.8.</value>
    public double TierDownThreshold { get; set; } = 0.8;

    /// <summary>Gets or sets the output tokens reserved for a call that does not set <c>ChatOptions.MaxOutputTokens</c> (capped at each model's limit).</summary>
    /// <value>The default value is 4096.</value>
    public int DefaultMaxOutputTokens { get; set; } = 4_096;

    /// <summary>Gets or sets the budget across all projects, in US dollars; <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public decimal? GlobalBudget { get; set; }

    /// <summary>Gets or sets the tokens counted for each message's framing (role, separators) on top of its content.</summary>
    /// <value>The default value is 8.</value>
    public int MessageOverheadTokens { get; set; } = 8;

    /// <summary>Gets or sets the tokens counted for each image; the largest image any catalog model accepts costs less.</summary>
    /// <value>The default value is 2000.</value>
    public int ImageTokens { get; set; } = 2_000;

    /// <summary>Gets the per-model resilience settings.</summary>
    public ModelResilienceOptions Resilience { get; init; } = new();

    /// <summary>Lists every problem of these options, the policy and the catalog overrides.</summary>
    /// <returns>The problems, as sentences; empty when valid.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        foreach (var model in Models)
        {
            if (model is null)
            {
                problems.Add("Models holds a null profile.");
                continue;
            }

            problems.AddRange(model.GetProblems());
        }

        if (Policy is null)
        {
            problems.Add("Policy is null; leave the default or set a RoutingPolicy.");
        }
        else
        {
            problems.AddRange(Policy.GetProblems());
        }

        if (TierDownThreshold is <= 0 or > 1 || double.IsNaN(TierDownThreshold))
        {
            problems.Add($"TierDownThreshold is {TierDownThreshold}; it must be more than 0 and at most 1.");
        }

        if (DefaultMaxOutputTokens <= 0)
        {
            problems.Add($"DefaultMaxOutputTokens is {DefaultMaxOutputTokens}; it must be more than zero.");
        }

        if (GlobalBudget < 0)
        {
            problems.Add($"GlobalBudget is {GlobalBudget}; it must be zero (free models only) or more, or null for none.");
        }

        if (MessageOverheadTokens < 0)
        {
            problems.Add($"MessageOverheadTokens is {MessageOverheadTokens}; it must be zero or more.");
        }

        if (ImageTokens < 0)
        {
            problems.Add($"ImageTokens is {ImageTokens}; it must be zero or more.");
        }

        if (Resilience is null)
        {
            problems.Add("Resilience is null.");
        }
        else
        {
            problems.AddRange(Resilience.GetProblems());
        }

        return problems;
    }

    /// <summary>A copy of these options with another policy; the catalog overrides and resilience settings are shared.</summary>
    internal RoutingOptions WithPolicy(RoutingPolicy policy) => new()
    {
        Models = Models,
        Policy = policy,
        TierDownThreshold = TierDownThreshold,
        DefaultMaxOutputTokens = DefaultMaxOutputTokens,
        GlobalBudget = GlobalBudget,
        MessageOverheadTokens = MessageOverheadTokens,
        ImageTokens = ImageTokens,
        Resilience = Resilience,
    };
}
