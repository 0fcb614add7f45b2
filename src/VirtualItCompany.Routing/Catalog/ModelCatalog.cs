using System.Collections;

namespace VirtualItCompany.Routing;

/// <summary>A set of model profiles by catalog id: what each costs, takes and can do. Validated when created. The router ships no vendor's models: each provider package holds its own price list (such as <c>AnthropicModels.All</c>).</summary>
public sealed class ModelCatalog : IReadOnlyCollection<ModelProfile>
{
    private readonly Dictionary<string, ModelProfile> _byId;
    private readonly List<ModelProfile> _ordered;

    /// <summary>Creates a catalog of the given profiles.</summary>
    /// <param name="profiles">The profiles; ids must be unique.</param>
    /// <exception cref="RoutingConfigurationException">A profile is not valid or an id repeats; every problem is listed.</exception>
    public ModelCatalog(IEnumerable<ModelProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        _ordered = [.. profiles];
        _byId = new Dictionary<string, ModelProfile>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var profile in _ordered)
        {
            if (profile is null)
            {
                problems.Add("The catalog holds a null profile.");
                continue;
            }

            problems.AddRange(profile.GetProblems());
            if (!string.IsNullOrWhiteSpace(profile.Id) && !_byId.TryAdd(profile.Id, profile))
            {
                problems.Add($"Model '{profile.Id}' appears more than once in the catalog; ids must be unique.");
            }
        }

        if (problems.Count > 0)
        {
            throw new RoutingConfigurationException(problems);
        }
    }

    /// <summary>Gets how many models the catalog holds.</summary>
    public int Count => _ordered.Count;

    /// <summary>Gets a profile by catalog id.</summary>
    /// <param name="id">The catalog id (case-insensitive).</param>
    /// <returns>The profile.</returns>
    /// <exception cref="KeyNotFoundException">No model has that id.</exception>
    public ModelProfile this[string id] => TryGet(id, out var profile) ? profile : throw new KeyNotFoundException($"The catalog has no model '{id}'.");

    /// <summary>Finds a profile by catalog id.</summary>
    /// <param name="id">The catalog id (case-insensitive).</param>
    /// <param name="profile">The profile, when found.</param>
    /// <returns>Whether the catalog holds the model.</returns>
    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelProfile? profile)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _byId.TryGetValue(id, out profile);
    }

    /// <summary>Returns a catalog with the given profiles applied: a profile whose id is already present replaces it, a new one is added.</summary>
    /// <param name="overrides">The profiles to apply, such as those bound from <c>VirtualItCompany:Routing:Models</c>.</param>
    /// <returns>The new catalog; this one is unchanged.</returns>
    /// <exception cref="RoutingConfigurationException">A resulting profile is not valid; every problem is listed.</exception>
    public ModelCatalog With(IEnumerable<ModelProfile> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = new List<ModelProfile>(_ordered);
        foreach (var profile in overrides)
        {
            int index = profile?.Id is { } id ? merged.FindIndex(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)) : -1;
            if (index >= 0)
            {
                merged[index] = profile!;
            }
            else
            {
                merged.Add(profile!);
            }
        }

        return new ModelCatalog(merged);
    }

    /// <inheritdoc/>
    public IEnumerator<ModelProfile> GetEnumerator() => _ordered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
