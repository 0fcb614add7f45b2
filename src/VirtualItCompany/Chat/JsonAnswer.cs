using System.Buffers;
using System.Text;
using System.Text.Json;

namespace VirtualItCompany.Chat;

/// <summary>
/// Finds the one JSON value in a model's answer, tolerating what models without native structured output add around it:
/// Markdown fences, a chatty preamble or epilogue, trailing commas and comments. It never guesses: no JSON, or several
/// different JSON values, is a problem, not a pick.
/// </summary>
internal static class JsonAnswer
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowMultipleValues = true,
    };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads the answer's JSON value.</summary>
    /// <param name="text">The model's answer.</param>
    /// <param name="expected">The kind of value the schema asks for (<see cref="JsonValueKind.Object"/> or <see cref="JsonValueKind.Array"/>), or <see cref="JsonValueKind.Undefined"/> for either.</param>
    /// <param name="json">The value as compact, strict JSON, when found.</param>
    /// <param name="problem">Why no value was taken, otherwise: a sentence the model can be shown in a repair prompt.</param>
    /// <returns>Whether exactly one value was found.</returns>
    public static bool TryRead(string? text, JsonValueKind expected, out string json, out string problem)
    {
        json = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "the answer is empty";
            return false;
        }

        var distinct = ReadAll(text, expected);
        if (distinct.Count == 1)
        {
            json = distinct[0];
            problem = "";
            return true;
        }

        string kind = expected switch
        {
            JsonValueKind.Object => "JSON object",
            JsonValueKind.Array => "JSON array",
            _ => "JSON value",
        };
        problem = distinct.Count == 0
            ? $"the answer holds no complete {kind}"
            : $"the answer holds {distinct.Count} different {kind}s, so which one is the answer cannot be told";
        return false;
    }

    /// <summary>Finds every distinct complete JSON value of the expected kind in the answer, as compact JSON: those in fenced blocks, or when no fence holds one, those anywhere in the text.</summary>
    /// <param name="text">The model's answer.</param>
    /// <param name="expected">The kind of value looked for, or <see cref="JsonValueKind.Undefined"/> for objects and arrays.</param>
    /// <returns>The values in the order they appear.</returns>
    public static List<string> ReadAll(string text, JsonValueKind expected)
    {
        // A fenced block is where a chatty model puts its answer; look outside fences only when no fence holds a value.
        var values = new List<string>();
        foreach (var block in FencedBlocks(text))
        {
            Collect(block, expected, values);
        }

        if (values.Count == 0)
        {
            Collect(text, expected, values);
        }

        return values.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Gets the kind of value a JSON schema asks for.</summary>
    public static JsonValueKind KindOf(JsonElement? schema) =>
        schema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString() switch
            {
                "object" => JsonValueKind.Object,
                "array" => JsonValueKind.Array,
                _ => JsonValueKind.Undefined,
            }
            : JsonValueKind.Undefined;

    private static IEnumerable<string> FencedBlocks(string text)
    {
        int at = 0;
        while (true)
        {
            int open = text.IndexOf("```", at, StringComparison.Ordinal);
            if (open < 0)
            {
                yield break;
            }

            // The info string (```json) ends the opening line.
            int bodyStart = text.IndexOf('\n', open + 3);
            if (bodyStart < 0)
            {
                yield break;
            }

            int close = text.IndexOf("```", bodyStart + 1, StringComparison.Ordinal);
            if (close < 0)
            {
                // An unclosed fence (the answer was cut, or the model forgot it): its body is still the place to look.
                yield return text[(bodyStart + 1)..];
                yield break;
            }

            yield return text[(bodyStart + 1)..close];
            at = close + 3;
        }
    }

    private static void Collect(string text, JsonValueKind expected, List<string> values)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int at = 0;
        while (at < utf8.Length)
        {
            int start = expected switch
            {
                JsonValueKind.Object => Array.IndexOf(utf8, (byte)'{', at),
                JsonValueKind.Array => Array.IndexOf(utf8, (byte)'[', at),
                _ => utf8.AsSpan(at).IndexOfAny((byte)'{', (byte)'[') is var i and >= 0 ? at + i : -1,
            };
            if (start < 0)
            {
                return;
            }

            if (TryReadValue(utf8.AsSpan(start), out int length, out string? value))
            {
                values.Add(value);
                at = start + length;
            }
            else
            {
                at = start + 1;
            }
        }
    }

    private static bool TryReadValue(ReadOnlySpan<byte> utf8, out int length, out string value)
    {
        length = 0;
        value = "";
        try
        {
            var reader = new Utf8JsonReader(utf8, isFinalBlock: true, new JsonReaderState(ReaderOptions));
            if (!reader.Read() || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                return false;
            }

            reader.Skip();
            length = (int)reader.BytesConsumed;
            using var document = JsonDocument.Parse(utf8[..length].ToArray(), DocumentOptions);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                document.RootElement.WriteTo(writer);
            }

            value = Encoding.UTF8.GetString(buffer.WrittenSpan);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
