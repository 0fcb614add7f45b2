using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace VirtualItCompany.Security;

/// <summary>
/// Replaces the secrets in a project event before it reaches the store and the live feed. Most events hold none: the event's
/// values are first visited in place through its serialization metadata (no copy, nothing allocated but the walk), and only an
/// event with a string the <see cref="SecretRedactor"/> would change is rewritten, through its JSON tree (string values and
/// property names, unescaped, so a secret holding a character JSON escapes is still found).
/// </summary>
internal sealed class EventRedactor
{
    private const int MaxDepth = 64;

    private readonly SecretRedactor _redactor;
    private readonly JsonSerializerOptions _options;

    /// <summary>Creates the redactor for events serialized with <paramref name="options"/> (those of <see cref="ProjectEventSerializer"/>).</summary>
    public EventRedactor(SecretRedactor redactor, JsonSerializerOptions? options = null)
    {
        _redactor = redactor;
        _options = options ?? ProjectEventSerializer.Options;
    }

    /// <summary>Returns the event with its secrets replaced; the same instance when it holds none.</summary>
    public ProjectEvent Redact(ProjectEvent projectEvent)
    {
        if (!_options.TryGetTypeInfo(projectEvent.GetType(), out _))
        {
            return projectEvent; // an app's own event type the built-in serializer does not know: it is not stored by it either
        }

        return IsClean(projectEvent, typeof(ProjectEvent), 0) ? projectEvent : Rewrite(projectEvent);
    }

    /// <summary>Whether nothing in <paramref name="value"/> is a secret; <see langword="false"/> also when the walk cannot tell.</summary>
    /// <param name="value">The value.</param>
    /// <param name="declared">The type its property or collection declares (its metadata serves when the runtime type has none, such as an array for a list).</param>
    /// <param name="depth">How deep in the event the value is.</param>
    private bool IsClean(object? value, Type declared, int depth)
    {
        switch (value)
        {
            case null:
            case bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
            case Enum or DateTimeOffset or DateTime or TimeSpan or Guid:
                return true;
            case string text:
                return ReferenceEquals(_redactor.Redact(text), text);
        }

        if (depth > MaxDepth
            || !(_options.TryGetTypeInfo(value.GetType(), out var typeInfo) || _options.TryGetTypeInfo(declared, out typeInfo)))
        {
            return false;
        }

        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object:
                // Indexed: enumerating the metadata's property list allocates an enumerator per object visited.
                var properties = typeInfo.Properties;
                for (int i = 0; i < properties.Count; i++)
                {
                    var property = properties[i];
                    // A property without a getter (ignored, or read-only to the serializer) is never written.
                    if (property.Get is { } get && !HoldsNoText(property.PropertyType) && !IsClean(get(value), property.PropertyType, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case JsonTypeInfoKind.Dictionary when value is IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (!IsClean(entry.Key, typeInfo.KeyType ?? typeof(object), depth + 1) || !IsClean(entry.Value, typeInfo.ElementType ?? typeof(object), depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case JsonTypeInfoKind.Enumerable when value is IEnumerable items:
                foreach (var item in items)
                {
                    if (!IsClean(item, typeInfo.ElementType ?? typeof(object), depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case JsonTypeInfoKind.None:
                // A value with its own converter (an id, a JSON element): checked by its text.
                return value.ToString() is not { } text || ReferenceEquals(_redactor.Redact(text), text);
            default:
                return false;
        }
    }

    /// <summary>Whether values of <paramref name="type"/> can hold no text (numbers, flags, times): skipped without reading (and boxing) them.</summary>
    private static bool HoldsNoText(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateTimeOffset) || type == typeof(DateTime)
            || type == typeof(TimeSpan) || type == typeof(Guid);
    }

    private ProjectEvent Rewrite(ProjectEvent projectEvent)
    {
        var typeInfo = (JsonTypeInfo<ProjectEvent>)_options.GetTypeInfo(typeof(ProjectEvent));
        var tree = JsonSerializer.SerializeToNode(projectEvent, typeInfo);
        return tree is null ? projectEvent : RedactNode(tree).Deserialize(typeInfo) ?? projectEvent;
    }

    private JsonNode RedactNode(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    var newChild = child is null ? null : RedactNode(child);
                    var newName = _redactor.Redact(name);
                    if (!ReferenceEquals(newName, name))
                    {
                        obj.Remove(name); // detaches the child, so it can move under its new name
                        obj[newName] = newChild;
                    }
                    else if (!ReferenceEquals(newChild, child))
                    {
                        obj[name] = newChild;
                    }
                }

                return obj;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child && RedactNode(child) is var newChild && !ReferenceEquals(newChild, child))
                    {
                        array[i] = newChild;
                    }
                }

                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var redacted = _redactor.Redact(text);
                return ReferenceEquals(redacted, text) ? value : JsonValue.Create(redacted);
            default:
                return node;
        }
    }
}
