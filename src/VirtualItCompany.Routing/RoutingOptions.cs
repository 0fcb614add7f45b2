namespace VirtualItCompany.Routing;

/// <summary>Configures the cost-aware router; bound from <c>VirtualItCompany:Routing</c> when configuration is available.</summary>
public sealed class RoutingOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "VirtualItCompany:Routing";

    /// <summary>Gets the profile overrides: a profile whose id is registered replaces the registered one (prices, limits, capabilities); others are ignored.</summary>
    public IList<ModelProfile> Models { get; init; } = [];

    /// <summary>Gets or sets the routing policy.</summary>
    /// <value>The default value is the platform's matrix over the registered models' quality tiers (<see cref="RoutingPolicy.CreateDefaultBands"/>).</value>
    public RoutingPolicy Policy { get; set; } = new();

    /// <summary>Gets or sets the share of a budget (project or global) past which calls start one band lower.</summary>
    /// <value>The default value is 0.8.</value>
    public double TierDownThreshold { get; set; } = 0.8;

    /// <summary>Gets or sets the output tokens reserved for a call that does not set <c>ChatOptions.MaxOutputTokens</c> (capped at each model's limit).</summary>
    /// <value>The default value is 4096.</value>
    public int DefaultMaxOutputTokens { get; set; } = 4_096;

    /// <summary>Gets or sets the company-wide budget across all projects, in US dollars (0 to <see cref="BudgetLimits.MaxAmount"/>); <see langword="null"/> for none. It is the company limit of the <see cref="InMemoryBudgetAccount"/> the router (or <c>AddModelRouting</c>) creates when no <see cref="IBudgetAccount"/> is given.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public decimal? GlobalBudget { get; set; }

    /// <summary>
    /// Gets or sets how long, at most over a whole call, the router waits for other calls' reservations to settle when
    /// only they stand in the way of a model (what was spent leaves room), before it counts the model as over budget.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan InFlightReservationWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the tokens counted for each message's framing (role, separators) on top of its content.</summary>
    /// <value>The default value is 8.</value>
    public int MessageOverheadTokens { get; set; } = 8;

    /// <summary>Gets or sets the tokens counted for each image; the largest image any catalog model accepts costs less.</summary>
    /// <value>The default value is 2000.</value>
    public int ImageTokens { get; set; } = 2_000;

    /// <summary>Gets the per-model resilience settings.</summary>
    public ModelResilienceOptions Resilience { get; init; } = new();

    /// <summary>Gets the outcome-feedback policy (off by default): stages whose cheaper models' work keeps being sent back move up a band.</summary>
    public OutcomeFeedbackOptions OutcomeFeedback { get; init; } = new();

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

        if (GlobalBudget is < 0 or > BudgetLimits.MaxAmount)
        {
            problems.Add($"GlobalBudget is {GlobalBudget}; it must be between 0 (free models only) and {BudgetLimits.MaxAmount:0} (BudgetLimits.MaxAmount), or null for none.");
        }

        if (InFlightReservationWait < TimeSpan.Zero || InFlightReservationWait > TimeSpan.FromHours(1))
        {
            problems.Add($"InFlightReservationWait is {InFlightReservationWait}; it must be between zero (refuse at once) and one hour.");
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

        if (OutcomeFeedback is null)
        {
            problems.Add("OutcomeFeedback is null.");
        }
        else
        {
            problems.AddRange(OutcomeFeedback.GetProblems());
        }

        return problems;
    }

    /// <summary>
    /// The options for routing among <paramref name="models"/> when no bands are configured: with exactly one model, a
    /// copy whose policy is a single band 1-10 holding that model (one model serves every call, still budgeted and
    /// explained); otherwise <paramref name="options"/> as given (the configured bands, or the default matrix, which
    /// the router derives from the registered models' quality tiers and prices, so several providers at once route by
    /// cost within each tier).
    /// </summary>
    /// <param name="models">The profiles of the models the router will route among.</param>
    /// <param name="options">The configured options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The options to create the router with.</returns>
    public static RoutingOptions ForModels(IEnumerable<ModelProfile> models, RoutingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        options ??= new RoutingOptions();
        if (options.Policy is not { Bands.Count: 0 })
        {
            return options;
        }

        var ids = models.Select(m => m?.Id).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return ids.Count == 1
            ? options.WithPolicy(new RoutingPolicy { Bands = [new RoutingBand { MinComplexity = 1, MaxComplexity = 10, Models = [ids[0]] }] })
            : options;
    }

    /// <summary>A copy of these options with another policy; the catalog overrides and resilience settings are shared.</summary>
    internal RoutingOptions WithPolicy(RoutingPolicy policy) => new()
    {
        Models = Models,
        Policy = policy,
        TierDownThreshold = TierDownThreshold,
        DefaultMaxOutputTokens = DefaultMaxOutputTokens,
        GlobalBudget = GlobalBudget,
        InFlightReservationWait = InFlightReservationWait,
        MessageOverheadTokens = MessageOverheadTokens,
        ImageTokens = ImageTokens,
        Resilience = Resilience,
        OutcomeFeedback = OutcomeFeedback,
    };
}
