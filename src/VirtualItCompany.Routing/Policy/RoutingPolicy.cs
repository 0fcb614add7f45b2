namespace VirtualItCompany.Routing;

/// <summary>
/// Which models serve which complexity, and which band a call starts in. The defaults follow the platform's
/// model-selection matrix; set <see cref="Bands"/> (in code or configuration) or subclass and override
/// <see cref="SelectBand"/> to route differently.
/// </summary>
public class RoutingPolicy
{
    /// <summary>Gets the bands, ordered from the lowest complexity up; empty means <see cref="CreateDefaultBands"/>.</summary>
    public IList<RoutingBand> Bands { get; init; } = [];

    /// <summary>Creates the platform's matrix: 1-3 local (Mistral, Code Llama) then Claude Haiku; 4-7 Claude Sonnet then GPT-4o mini; 8-10 Claude Opus then GPT-4o.</summary>
    /// <returns>New band instances, preference-ordered as written.</returns>
    public static IReadOnlyList<RoutingBand> CreateDefaultBands() =>
    [
        new() { MinComplexity = 1, MaxComplexity = 3, Models = [DefaultModelIds.OllamaMistral, DefaultModelIds.OllamaCodeLlama, DefaultModelIds.ClaudeHaiku] },
        new() { MinComplexity = 4, MaxComplexity = 7, Models = [DefaultModelIds.ClaudeSonnet, DefaultModelIds.Gpt4oMini] },
        new() { MinComplexity = 8, MaxComplexity = 10, Models = [DefaultModelIds.ClaudeOpus, DefaultModelIds.Gpt4o] },
    ];

    /// <summary>Gets the bands in effect: <see cref="Bands"/>, or the default matrix when none are set.</summary>
    /// <returns>The bands, lowest complexity first.</returns>
    public IReadOnlyList<RoutingBand> GetEffectiveBands() => Bands.Count > 0 ? [.. Bands] : CreateDefaultBands();

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

    /// <summary>Lists every problem of the bands in effect: gaps or overlaps in 1-10, empty bands, bad ranges.</summary>
    /// <returns>The problems, as sentences; empty when valid.</returns>
    public virtual IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        var bands = GetEffectiveBands();
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
                problems.Add($"Routing band {band.Range} names no model (or a blank one); list catalog ids such as '{DefaultModelIds.ClaudeHaiku}'.");
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
