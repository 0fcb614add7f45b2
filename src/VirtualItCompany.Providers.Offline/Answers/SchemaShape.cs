using System.Text.Json;

namespace VirtualItCompany.Providers.Offline.Answers;

/// <summary>The property names of a JSON schema object, so that answers use the names the caller asked for.</summary>
internal sealed class SchemaShape
{
    private readonly JsonElement? _properties;

    private SchemaShape(JsonElement? properties) => _properties = properties;

    /// <summary>Reads the shape of a schema (its <c>properties</c>).</summary>
    public static SchemaShape Of(JsonElement? schema) =>
        new(schema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : null);

    /// <summary>Gets the property names.</summary>
    public IReadOnlyList<string> Names =>
        _properties is { } p ? p.EnumerateObject().Select(o => o.Name).ToList() : [];

    /// <summary>Gets whether the schema has all these properties (ignoring case).</summary>
    public bool Has(params string[] names) => names.All(n => Find(n) is not null);

    /// <summary>Gets the schema's spelling of a property, or the camelCase name when absent.</summary>
    public string Name(string logical) => Find(logical)?.Name ?? char.ToLowerInvariant(logical[0]) + logical[1..];

    /// <summary>Gets the shape of the items of an array property.</summary>
    public SchemaShape Items(string logical) =>
        Find(logical) is { } property && property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("items", out var items)
            ? Of(items)
            : new SchemaShape(null);

    private JsonProperty? Find(string logical)
    {
        if (_properties is not { } properties)
        {
            return null;
        }

        foreach (var property in properties.EnumerateObject())
        {
            if (string.Equals(property.Name, logical, StringComparison.OrdinalIgnoreCase)
                || string.Equals(property.Name.Replace("_", "", StringComparison.Ordinal), logical, StringComparison.OrdinalIgnoreCase))
            {
                return property;
            }
        }

        return null;
    }
}
