using System.Collections.Concurrent;

namespace VirtualItCompany.Routing;

/// <summary>Everything the router decides on, precomputed at start: the registered models, and per band the registered models in band order.</summary>
internal sealed class RouteTable
{
    private const int MaxAliases = 1_024;
    private readonly ConcurrentDictionary<string, ModelEntry> _byKey = new(StringComparer.OrdinalIgnoreCase);

    private RouteTable(ModelEntry[] models, RoutingBand[] bands, int[][] bandModels, RoutingOptions options)
    {
        Models = models;
        Bands = bands;
        BandModels = bandModels;
        Options = options;
        BandList = bands;
        MaxBandSize = bandModels.Max(b => b.Length);
        foreach (var model in models)
        {
            _byKey.TryAdd(model.Profile.Id, model);
        }

        foreach (var model in models)
        {
            _byKey.TryAdd(model.Profile.ModelId, model);
        }
    }

    public ModelEntry[] Models { get; }

    public RoutingBand[] Bands { get; }

    public IReadOnlyList<RoutingBand> BandList { get; }

    public int[][] BandModels { get; }

    public int MaxBandSize { get; }

    public RoutingOptions Options { get; }

    /// <summary>The reasons built so far, by decision key; per table, because a key holds a model's index and the text its id.</summary>
    public ConcurrentDictionary<ulong, string> Reasons { get; } = new();

    /// <summary>Validates the registrations against the policy, listing every problem at once.</summary>
    public static RouteTable Create(IEnumerable<RoutedModel> registered, RoutingOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var problems = new List<string>(options.GetProblems());
        var list = registered.ToList();
        if (list.Count == 0)
        {
            problems.Add("No model is registered; the router needs at least one (AddModel, or a provider package such as AddOpenAI).");
        }

        // Configured overrides win over the profile a provider package registered.
        var overrides = new Dictionary<string, ModelProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var profile in options.Models)
        {
            if (profile?.Id is { } id)
            {
                overrides[id] = profile;
            }
        }

        var entries = new List<ModelEntry>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in list)
        {
            if (model?.Profile is null || model.Client is null)
            {
                problems.Add("A registered model has no profile or no client.");
                continue;
            }

            var profile = model.Profile.Id is { } id && overrides.TryGetValue(id, out var configured) ? configured : model.Profile;
            var profileProblems = profile.GetProblems();
            if (profileProblems.Count > 0)
            {
                problems.AddRange(profileProblems);
                continue;
            }

            if (!ids.Add(profile.Id))
            {
                problems.Add($"Model '{profile.Id}' is registered more than once; each catalog id may be registered once.");
                continue;
            }

            if (problems.Count == 0)
            {
                entries.Add(new ModelEntry(entries.Count, profile, model.Client, options.Resilience, timeProvider));
            }
        }

        if (problems.Count > 0)
        {
            throw new RoutingConfigurationException(problems);
        }

        var bands = options.Policy.GetEffectiveBands(entries.Select(e => e.Profile)).OrderBy(b => b.MinComplexity).ToArray();
        var bandModels = new int[bands.Length][];
        for (int b = 0; b < bands.Length; b++)
        {
            var band = bands[b];
            var members = new List<int>();
            foreach (var id in band.Models)
            {
                // A band may name models that are not registered (a provider the app did not add); they are skipped.
                int index = entries.FindIndex(e => string.Equals(e.Profile.Id, id, StringComparison.OrdinalIgnoreCase));
                if (index >= 0 && !members.Contains(index))
                {
                    members.Add(index);
                }
            }

            if (members.Count == 0)
            {
                problems.Add($"No registered model can serve complexity {band.Range}: its band names {string.Join(", ", band.Models)}, and none of them is registered (registered: {string.Join(", ", ids)}). Check their spelling, register one of them, or give the router a policy whose bands name the models you registered (RoutingOptions.Policy).");
            }

            if (members.Count > 256)
            {
                problems.Add($"Routing band {band.Range} has {members.Count} registered models; a band may have at most 256.");
            }

            bandModels[b] = [.. members];
        }

        if (problems.Count > 0)
        {
            throw new RoutingConfigurationException(problems);
        }

        return new RouteTable([.. entries], bands, bandModels, options);
    }

    /// <summary>Finds a model by catalog id, provider model id, or a model id a response reported.</summary>
    public ModelEntry? Find(string key) => _byKey.TryGetValue(key, out var entry) ? entry : null;

    /// <summary>Remembers a model id a provider reported (often a dated variant) so pricing lookups by it find the model.</summary>
    public void NoteAlias(string? reportedModelId, ModelEntry entry)
    {
        if (reportedModelId is not null && _byKey.Count < MaxAliases && !_byKey.ContainsKey(reportedModelId))
        {
            _byKey.TryAdd(reportedModelId, entry);
        }
    }
}
