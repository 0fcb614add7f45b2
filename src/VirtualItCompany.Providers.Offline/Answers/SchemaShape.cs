using System.Text;
using System.Text.Json;

namespace VirtualItCompany.Providers.Offline.Answers;

/// <summary>The properties of a JSON schema object, matched loosely to what an answer holds, so that answers use the names the caller asked for.</summary>
/// <remarks>
/// Names are compared by their words, whatever the case style (<c>AcceptanceCriteria</c>, <c>acceptance_criteria</c>,
/// <c>acceptance-criteria</c>), each word singular (<c>criteria</c> and <c>criterion</c>, <c>questions</c> and <c>question</c>).
/// </remarks>
internal sealed class SchemaShape
{
    private readonly List<Property> _properties;

    private SchemaShape(JsonElement? schema)
    {
        _properties = [];
        if (schema is not { ValueKind: JsonValueKind.Object } s)
        {
            return;
        }

        Schema = s;
        if (s.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                string description = property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String
                    ? d.GetString() ?? ""
                    : "";
                _properties.Add(new Property(property.Name, Key(property.Name), Words(description), property.Value));
            }
        }
    }

    /// <summary>Gets the schema itself, when it is an object.</summary>
    public JsonElement? Schema { get; }

    /// <summary>Gets the property names.</summary>
    public IReadOnlyList<string> Names => [.. _properties.Select(p => p.Name)];

    /// <summary>Gets the schema's own description, or empty.</summary>
    public string Description =>
        Schema is { } s && s.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() ?? "" : "";

    /// <summary>Reads the shape of a schema (its <c>properties</c>).</summary>
    public static SchemaShape Of(JsonElement? schema) => new(schema);

    /// <summary>Gets the shape of the items of an array property.</summary>
    public SchemaShape Items(string name) =>
        _properties.Find(p => p.Name == name) is { Schema: { ValueKind: JsonValueKind.Object } property } && property.TryGetProperty("items", out var items)
            ? Of(items)
            : Of(null);

    /// <summary>Gets whether the schema itself is declared as a string.</summary>
    public bool IsString => Schema is { } s && IsStringType(s);

    /// <summary>Gets whether a property is declared as a string (rather than an array or anything else).</summary>
    public bool IsStringProperty(string name) => _properties.Find(p => p.Name == name) is { } property && IsStringType(property.Schema);

    /// <summary>Binds the roles of an answer to the schema's properties: first by name, then by a name that starts or ends with a role's name, then by description; each property serves one role.</summary>
    public SchemaBinding Bind(IReadOnlyList<PropertyRole> roles)
    {
        var bound = new Dictionary<string, (string Name, bool Exact)>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        BindPass(roles, bound, taken, exact: true, (p, role) => role.Keys.Contains(p.Key));
        BindPass(roles, bound, taken, exact: false, (p, role) => role.Keys.Any(k => k.Length >= 4 && (p.Key.StartsWith(k, StringComparison.Ordinal) || p.Key.EndsWith(k, StringComparison.Ordinal))));
        BindPass(roles, bound, taken, exact: false, (p, role) => role.Described.Any(phrase => Contains(p.DescriptionWords, phrase)));
        return new SchemaBinding(bound, [.. Names.Where(n => !taken.Contains(n))]);
    }

    /// <summary>Gets a name's comparable form: its words (split at case changes and punctuation), lower case, each singular, joined.</summary>
    public static string Key(string name) => string.Concat(Words(name));

    // The words of a name or a text, lower case and singular.
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool boundary = !char.IsLetterOrDigit(c)
                || (char.IsUpper(c) && i > 0 && (char.IsLower(text[i - 1]) || (char.IsUpper(text[i - 1]) && i + 1 < text.Length && char.IsLower(text[i + 1]))));
            if (boundary && word.Length > 0)
            {
                words.Add(Singular(word.ToString()));
                word.Clear();
            }

            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
        }

        if (word.Length > 0)
        {
            words.Add(Singular(word.ToString()));
        }

        return words;
    }

    private static string Singular(string word) => word switch
    {
        "criteria" => "criterion",
        { Length: > 3 } when word.EndsWith("ies", StringComparison.Ordinal) => word[..^3] + "y",
        { Length: > 3 } when word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal) => word[..^1],
        _ => word,
    };

    private static bool IsStringType(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type)
        && (type.ValueKind == JsonValueKind.String ? type.GetString() == "string"
            : type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == "string")
                && !type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == "array"));

    private static bool Contains(List<string> words, string[] phrase)
    {
        for (int i = 0; i + phrase.Length <= words.Count; i++)
        {
            if (phrase.Select((w, j) => words[i + j] == w).All(m => m))
            {
                return true;
            }
        }

        return false;
    }

    private void BindPass(IReadOnlyList<PropertyRole> roles, Dictionary<string, (string, bool)> bound, HashSet<string> taken, bool exact, Func<Property, PropertyRole, bool> fits)
    {
        foreach (var role in roles)
        {
            if (bound.ContainsKey(role.Logical))
            {
                continue;
            }

            if (_properties.Find(p => !taken.Contains(p.Name) && fits(p, role)) is { } property)
            {
                bound[role.Logical] = (property.Name, exact);
                taken.Add(property.Name);
            }
        }
    }

    private sealed record Property(string Name, string Key, List<string> DescriptionWords, JsonElement Schema);

    /// <summary>What a property of an answer holds, with the names and descriptions that say so.</summary>
    /// <param name="Logical">The role's name in the answer (PascalCase); the answer uses it, camelCase, when the schema has no such property.</param>
    /// <param name="IsKey">Whether the role tells the answer apart from others (a schema must have one of these for the answer to fit).</param>
    /// <param name="Names">Property names that hold the role, in any case style.</param>
    /// <param name="Describes">Words of a property's description that say it holds the role.</param>
    internal sealed record PropertyRole(string Logical, bool IsKey, string[] Names, string[] Describes)
    {
        /// <summary>Gets the comparable forms of the names.</summary>
        public string[] Keys { get; } = [.. Names.Append(Logical).Select(Key).Distinct()];

        /// <summary>Gets the description phrases as words.</summary>
        public string[][] Described { get; } = [.. Describes.Select(d => Words(d).ToArray())];
    }
}

/// <summary>Which schema property holds each role of an answer, and how well it was matched.</summary>
internal sealed class SchemaBinding(Dictionary<string, (string Name, bool Exact)> bound, IReadOnlyList<string> unbound)
{
    /// <summary>Gets the schema's properties that hold no role.</summary>
    public IReadOnlyList<string> Unbound { get; } = unbound;

    /// <summary>Gets the schema's name for a role, or the role's name in camelCase when the schema has none.</summary>
    public string Name(string logical) => bound.TryGetValue(logical, out var b) ? b.Name : char.ToLowerInvariant(logical[0]) + logical[1..];

    /// <summary>Gets how well the schema fits roles: 4 for a key role matched by name, 2 matched otherwise; 2 and 1 for the other roles; 0 when no key role is matched.</summary>
    public int Score(IReadOnlyList<SchemaShape.PropertyRole> roles)
    {
        int score = 0;
        bool key = false;
        foreach (var role in roles)
        {
            if (bound.TryGetValue(role.Logical, out var b))
            {
                key |= role.IsKey;
                score += (role.IsKey ? 2 : 1) * (b.Exact ? 2 : 1);
            }
        }

        return key ? score : 0;
    }
}
