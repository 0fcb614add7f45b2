namespace VirtualItCompany.Routing;

/// <summary>
/// Which models serve which complexity, and which band a call starts in. The defaults follow the platform's
/// model-selection matrix; set <see cref="Bands"/> (in code or configuration) or subclass and override
/// <see cref="SelectBand"/> to route differently.
/// </summary>
public class RoutingPolicy
{
    /// <summary>Gets the bands, ordered from the lowest complexity up; empty means the default matrix over the registered models (<see cref="CreateDefaultBands"/>).</summary>
    public IList<RoutingBand> Bands { get; init; } = [];

    /// <summary>
    /// Creates the platform's matrix over the given models, from their profiles (no model is named in advance):
    /// complexity 1-3 prefers the basic tiers (1, then 2), 4-7 the mid tier (3, then 2), 8-10 the premium tier (4, then 3).
    /// Within a tier, local models come first, then the cheapest. A band none of whose tiers is registered takes the
    /// models of the nearest tier present (the higher one on a tie), so every band is served.
    /// </summary>
    /// <param name="models">The profiles of the registered models.</param>
    /// <returns>New band instances, lowest complexity first, preference-ordered.</returns>
    public static IReadOnlyList<RoutingBand> CreateDefaultBands(IEnumerable<ModelProfile> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var ranked = models.Where(m => m is not null)
            .Select((m, i) => (Profile: m, Index: i))
            .OrderBy(m => m.Profile.IsLocal ? 0 : 1)
            .ThenBy(m => m.Profile.Pricing is { } p ? p.InputPerMillion + p.OutputPerMillion : 0m)
            .ThenBy(m => m.Index)
            .Select(m => m.Profile)
            .ToList();
        return
        [
            Band(1, 3, ranked, [1, 2]),
            Band(4, 7, ranked, [3, 2]),
            Band(8, 10, ranked, [4, 3]),
        ];
    }

    private static RoutingBand Band(int min, int max, List<ModelProfile> ranked, int[] tiers)
    {
        var ids = new List<string>();
        foreach (int tier in tiers)
        {
            ids.AddRange(ranked.Where(m => m.QualityTier == tier).Select(m => m.Id));
        }

        if (ids.Count == 0 && ranked.Count > 0)
        {
            int low = tiers.Min(), high = tiers.Max();
            int Distance(int tier) => tier < low ? low - tier : tier > high ? tier - high : 0;
            int nearest = ranked.Select(m => m.QualityTier).OrderBy(Distance).ThenByDescending(t => t).First();
            ids.AddRange(ranked.Where(m => m.QualityTier == nearest).Select(m => m.Id));
        }

        return new RoutingBand { MinComplexity = min, MaxComplexity = max, Models = [.. ids.Distinct(StringComparer.OrdinalIgnoreCase)] };
    }

    /// <summary>Gets the bands in effect: <see cref="Bands"/>, or the default matrix over <paramref name="models"/> when none are set.</summary>
    /// <param name="models">The profiles of the registered models.</param>
    /// <returns>The bands, lowest complexity first.</returns>
    public IReadOnlyList<RoutingBand> GetEffectiveBands(IEnumerable<ModelProfile> models) => Bands.Count > 0 ? [.. Bands] : CreateDefaultBands(models);

    /// <summary>
    /// Chooses the band a call starts in; the router then tries that band's models and, if none can take the call,
    /// the bands above it. The default takes the band of the call's complexity, one band up for a work item that
    /// failed before, and one band down when the budget is past the tier-down threshold.
    /// </summary>
    /// <param name="signals">What the router read from the call.</param>
    /// <param name="bands">The bands in effect, lowest complexity first.</param>
    /// <returns>The index of the starting band.</returns>
    public virtual int SelectBand(in RoutingSignals signals, IReadOnlyList<RoutingBand> bands)
    {
        ArgumentNullException.ThrowIfNull(bands);
        int band = 0;
        for (int i = 0; i < bands.Count; i++)
        {
            if (signals.Complexity >= bands[i].MinComplexity && signals.Complexity <= bands[i].MaxComplexity)
            {
                band = i;
                break;
            }
        }

        if (signals.Attempt > 0)
        {
            band++;
        }

        if (signals.NearBudgetLimit)
        {
            band--;
        }

        return Math.Clamp(band, 0, bands.Count - 1);
    }

    /// <summary>Lists every problem of the configured bands: gaps or overlaps in 1-10, empty bands, bad ranges (none when no bands are set: the default matrix is made to fit).</summary>
    /// <returns>The problems, as sentences; empty when valid.</returns>
    public virtual IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (Bands.Count == 0)
        {
            return problems;
        }

        var bands = Bands;
        var owner = new RoutingBand?[11];
        foreach (var band in bands)
        {
            if (band is null)
            {
                problems.Add("The routing policy holds a null band.");
                continue;
            }

            if (band.MinComplexity is < 1 or > 10 || band.MaxComplexity is < 1 or > 10 || band.MinComplexity > band.MaxComplexity)
            {
                problems.Add($"Routing band {band.Range} is not a range within 1-10.");
                continue;
            }

            if (band.Models.Count == 0 || band.Models.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add($"Routing band {band.Range} names no model (or a blank one); list registered catalog ids such as 'anthropic/claude-haiku'.");
            }

            for (int c = band.MinComplexity; c <= band.MaxComplexity; c++)
            {
                if (owner[c] is { } other)
                {
                    problems.Add($"Complexity {c} is in both routing band {other.Range} and {band.Range}; bands must not overlap.");
                    break;
                }

                owner[c] = band;
            }
        }

        var missing = Enumerable.Range(1, 10).Where(c => owner[c] is null).ToList();
        if (missing.Count > 0 && problems.Count == 0)
        {
            problems.Add($"No routing band serves complexity {string.Join(", ", missing)}; the bands must cover 1-10.");
        }

        return problems;
    }
}
