using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Chat;

/// <summary>
/// The text form of tool calls for models without native tool calling: how the tools are described to the model, how its calls
/// are read from its answer (fenced or chatty JSON, tolerantly, never guessing a tool) and how earlier calls are written back.
/// </summary>
internal static class ToolCallText
{
    /// <summary>The property of the object a model answers with to call tools.</summary>
    public const string CallsProperty = "tool_calls";

    /// <summary>A tool call read from an answer.</summary>
    public readonly record struct Call(string Name, Dictionary<string, object?> Arguments);

    /// <summary>What an answer holds: the tool calls it makes, or the problem of a tool call that cannot be used, or neither (a final answer).</summary>
    public readonly record struct Reading(IReadOnlyList<Call> Calls, string? Problem);

    /// <summary>Describes the tools and the answer format for calling them.</summary>
    public static string Describe(IReadOnlyList<AIFunctionDeclaration> tools, ChatToolMode? mode)
    {
        var text = new StringBuilder()
            .Append(PromptedToolsChatClient.SectionHeading).Append('\n')
            .Append("You can call the tools below. To call one or more, answer with only this JSON, and nothing before or after it:\n")
            .Append("```json\n{\"").Append(CallsProperty).Append("\": [{\"name\": \"<tool name>\", \"arguments\": {<arguments as the tool's schema says>}}]}\n```\n")
            .Append("Each call's result will then be given to you. When you need no more tools, give your final answer without \"").Append(CallsProperty).Append("\".\n");
        if (mode is RequiredChatToolMode { RequiredFunctionName: { } required })
        {
            text.Append("Now you must call the tool ").Append(required).Append(".\n");
        }
        else if (mode is RequiredChatToolMode)
        {
            text.Append("Now you must call at least one tool.\n");
        }

        foreach (var tool in tools)
        {
            text.Append("\n### ").Append(tool.Name).Append('\n');
            if (!string.IsNullOrWhiteSpace(tool.Description))
            {
                text.Append(tool.Description).Append('\n');
            }

            text.Append("Arguments (JSON schema):\n```json\n").Append(tool.JsonSchema.GetRawText()).Append("\n```\n");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Reads the tool calls of an answer.</summary>
    /// <param name="text">The model's answer.</param>
    /// <param name="tools">The tools offered.</param>
    public static Reading Read(string? text, IReadOnlyList<AIFunctionDeclaration> tools)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new([], null);
        }

        var byName = tools.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var calls = new List<Call>();
        foreach (string json in JsonAnswer.ReadAll(text, JsonValueKind.Undefined))
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            List<JsonElement> entries = [];
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(CallsProperty, out var listed))
            {
                // The object says it calls tools: what it holds must be usable, else it is repaired.
                entries = listed.ValueKind switch
                {
                    JsonValueKind.Array => [.. listed.EnumerateArray()],
                    JsonValueKind.Object => [listed],
                    _ => [],
                };
                if (entries.Count == 0)
                {
                    return new([], $"\"{CallsProperty}\" holds no call; give it a list of objects with \"name\" and \"arguments\"");
                }
            }
            else if (root.ValueKind == JsonValueKind.Object && NameOf(root) is { } name && byName.ContainsKey(name))
            {
                entries = [root];
            }
            else if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 && root.EnumerateArray().All(e => NameOf(e) is { } n && byName.ContainsKey(n)))
            {
                entries = [.. root.EnumerateArray()];
            }

            foreach (var entry in entries)
            {
                if (!TryReadCall(entry, byName, out var call, out string? problem))
                {
                    return new([], problem);
                }

                calls.Add(call);
            }
        }

        if (calls.Count == 0 && text.Contains('"' + CallsProperty + '"', StringComparison.Ordinal))
        {
            return new([], $"it names \"{CallsProperty}\" but holds no complete JSON object");
        }

        return new(calls, null);
    }

    /// <summary>Writes calls as the model would have written them.</summary>
    public static string Write(IEnumerable<FunctionCallContent> calls)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(CallsProperty);
            foreach (var call in calls)
            {
                writer.WriteStartObject();
                writer.WriteString("name", call.Name);
                writer.WriteStartObject("arguments");
                foreach (var (key, value) in call.Arguments ?? new Dictionary<string, object?>())
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, value);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A value as JSON text through Microsoft.Extensions.AI's serializer options; its text when they cannot serialize it.</summary>
    public static string Serialize(object value) => TrySerialize(value, out string json) ? json : value.ToString() ?? "";

    private static bool TrySerialize(object value, out string json)
    {
        try
        {
            json = JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
            return true;
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            json = "";
            return false;
        }
    }

    private static string? NameOf(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (entry.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
        {
            return NameOf(function);
        }

        foreach (string key in (ReadOnlySpan<string>)["name", "tool"])
        {
            if (entry.TryGetProperty(key, out var name) && name.ValueKind == JsonValueKind.String)
            {
                return name.GetString();
            }
        }

        return null;
    }

    private static bool TryReadCall(JsonElement entry, Dictionary<string, AIFunctionDeclaration> tools, out Call call, out string? problem)
    {
        call = default;
        problem = null;
        if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
        {
            entry = function;
        }

        string? name = NameOf(entry);
        if (name is null)
        {
            problem = "a tool call has no \"name\"";
            return false;
        }

        if (!tools.TryGetValue(name, out var tool))
        {
            problem = $"there is no tool named '{name}'; the tools are {string.Join(", ", tools.Keys)}";
            return false;
        }

        JsonElement arguments = default;
        bool found = false;
        foreach (string key in (ReadOnlySpan<string>)["arguments", "parameters", "args", "input"])
        {
            if (entry.TryGetProperty(key, out arguments))
            {
                found = true;
                break;
            }
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (found && arguments.ValueKind == JsonValueKind.String)
        {
            // Some models write the arguments as a JSON string, as OpenAI's wire format does.
            var inner = JsonAnswer.ReadAll(arguments.GetString() ?? "", JsonValueKind.Object);
            if (inner.Count != 1)
            {
                problem = $"the arguments of the call of {name} are not a JSON object";
                return false;
            }

            using var document = JsonDocument.Parse(inner[0]);
            arguments = document.RootElement.Clone();
        }

        if (found && arguments.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in arguments.EnumerateObject())
            {
                values[property.Name] = property.Value.Clone();
            }
        }
        else if (found && arguments.ValueKind != JsonValueKind.Null)
        {
            problem = $"the arguments of the call of {name} are not a JSON object";
            return false;
        }

        var missing = Required(tool).Where(r => !values.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            problem = $"the call of {name} lacks the required argument{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}";
            return false;
        }

        call = new Call(name, values);
        return true;
    }

    private static IEnumerable<string> Required(AIFunctionDeclaration tool) =>
        tool.JsonSchema is { ValueKind: JsonValueKind.Object } schema && schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            ? required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)
            : [];

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long or short or byte or sbyte or uint or ulong or ushort or decimal:
                writer.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            default:
                if (TrySerialize(value, out string json))
                {
                    writer.WriteRawValue(json);
                }
                else
                {
                    writer.WriteStringValue(value.ToString());
                }

                break;
        }
    }
}
