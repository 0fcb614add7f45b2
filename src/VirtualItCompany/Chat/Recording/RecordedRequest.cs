using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Chat.Recording;

/// <summary>
/// A request as a recording matches it: the messages and the options that shape the answer, written as canonical JSON.
/// What does not change the meaning is normalised away: message, response and conversation ids, timestamps, raw
/// representations, tool-call ids (renumbered <c>call_1</c>, <c>call_2</c>... by first appearance), line endings, trailing
/// spaces on a line, blank lines around a text, a text split into several parts, and the order of JSON object keys.
/// </summary>
internal sealed class RecordedRequest
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private RecordedRequest(JsonElement canonical, string key)
    {
        Canonical = canonical;
        Key = key;
    }

    /// <summary>Gets the canonical request.</summary>
    public JsonElement Canonical { get; }

    /// <summary>Gets the SHA-256 (hex) of the model name and the canonical request: equal keys, equal requests.</summary>
    public string Key { get; }

    /// <summary>Reads a request.</summary>
    public static RecordedRequest From(string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            new CanonicalWriter(writer).Write(messages, options);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return FromCanonical(model, document.RootElement.Clone());
    }

    /// <summary>Reads a request as a recording holds it.</summary>
    public static RecordedRequest FromCanonical(string model, JsonElement canonical)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(model);
            canonical.WriteTo(writer);
            writer.WriteEndArray();
        }

        return new RecordedRequest(canonical, Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan)));
    }

    /// <summary>Gets the request as indented JSON, for messages and for finding where two requests differ.</summary>
    public string ToIndentedString()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Compact.Encoder }))
        {
            Canonical.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Normalises a text: line endings, trailing spaces on each line, blank lines before and after.</summary>
    internal static string NormalizeText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd();
        }

        return string.Join('\n', lines).Trim('\n');
    }

    private sealed class CanonicalWriter(Utf8JsonWriter writer)
    {
        private readonly Dictionary<string, string> _callIds = new(StringComparer.Ordinal);

        public void Write(IEnumerable<ChatMessage> messages, ChatOptions? options)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role.Value);
                if (!string.IsNullOrEmpty(message.AuthorName))
                {
                    writer.WriteString("authorName", message.AuthorName);
                }

                writer.WriteStartArray("contents");
                WriteContents(message.Contents);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (options is not null)
            {
                writer.WritePropertyName("options");
                WriteOptions(options);
            }

            writer.WriteEndObject();
        }

        private void WriteContents(IList<AIContent> contents)
        {
            var text = new StringBuilder();
            foreach (var content in contents)
            {
                if (content is TextContent t)
                {
                    // Parts of one text are one text.
                    text.Append(t.Text);
                    continue;
                }

                FlushText(text);
                switch (content)
                {
                    case TextReasoningContent reasoning:
                        writer.WriteStartObject();
                        writer.WriteString("type", "reasoning");
                        writer.WriteString("text", NormalizeText(reasoning.Text));
                        writer.WriteEndObject();
                        break;
                    case FunctionCallContent call:
                        writer.WriteStartObject();
                        writer.WriteString("type", "functionCall");
                        writer.WriteString("callId", CallId(call.CallId));
                        writer.WriteString("name", call.Name);
                        writer.WritePropertyName("arguments");
                        WriteValue(call.Arguments);
                        writer.WriteEndObject();
                        break;
                    case FunctionResultContent result:
                        writer.WriteStartObject();
                        writer.WriteString("type", "functionResult");
                        writer.WriteString("callId", CallId(result.CallId));
                        writer.WritePropertyName("result");
                        WriteValue(result.Result);
                        writer.WriteEndObject();
                        break;
                    case DataContent data:
                        writer.WriteStartObject();
                        writer.WriteString("type", "data");
                        writer.WriteString("mediaType", data.MediaType);
                        writer.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(data.Data.Span)));
                        writer.WriteEndObject();
                        break;
                    case UriContent uri:
                        writer.WriteStartObject();
                        writer.WriteString("type", "uri");
                        writer.WriteString("mediaType", uri.MediaType);
                        writer.WriteString("uri", uri.Uri.ToString());
                        writer.WriteEndObject();
                        break;
                    case UsageContent:
                        // Usage a provider reported on an earlier turn is not something the model reads.
                        break;
                    default:
                        writer.WriteStartObject();
                        writer.WriteString("type", content.GetType().Name);
                        writer.WriteEndObject();
                        break;
                }
            }

            FlushText(text);
        }

        private void FlushText(StringBuilder text)
        {
            if (text.Length == 0)
            {
                return;
            }

            string normalized = NormalizeText(text.ToString());
            text.Clear();
            if (normalized.Length > 0)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "text");
                writer.WriteString("text", normalized);
                writer.WriteEndObject();
            }
        }

        private string CallId(string callId)
        {
            if (!_callIds.TryGetValue(callId, out var id))
            {
                id = "call_" + (_callIds.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                _callIds[callId] = id;
            }

            return id;
        }

        private void WriteOptions(ChatOptions options)
        {
            writer.WriteStartObject();
            WriteText("instructions", options.Instructions);
            if (!string.IsNullOrEmpty(options.ModelId))
            {
                writer.WriteString("modelId", options.ModelId);
            }

            WriteNumber("temperature", options.Temperature);
            WriteNumber("topP", options.TopP);
            WriteNumber("frequencyPenalty", options.FrequencyPenalty);
            WriteNumber("presencePenalty", options.PresencePenalty);
            if (options.TopK is { } topK)
            {
                writer.WriteNumber("topK", topK);
            }

            if (options.MaxOutputTokens is { } max)
            {
                writer.WriteNumber("maxOutputTokens", max);
            }

            if (options.Seed is { } seed)
            {
                writer.WriteNumber("seed", seed);
            }

            if (options.StopSequences is { Count: > 0 } stops)
            {
                writer.WriteStartArray("stopSequences");
                foreach (var stop in stops)
                {
                    writer.WriteStringValue(stop);
                }

                writer.WriteEndArray();
            }

            if (options.AllowMultipleToolCalls is { } multiple)
            {
                writer.WriteBoolean("allowMultipleToolCalls", multiple);
            }

            if (options.Reasoning is { } reasoning)
            {
                writer.WritePropertyName("reasoning");
                WriteValue(reasoning);
            }

            switch (options.ResponseFormat)
            {
                case ChatResponseFormatJson json:
                    writer.WriteStartObject("responseFormat");
                    writer.WriteString("type", "json");
                    if (json.SchemaName is not null)
                    {
                        writer.WriteString("schemaName", json.SchemaName);
                    }

                    WriteText("schemaDescription", json.SchemaDescription);
                    if (json.Schema is { } schema)
                    {
                        writer.WritePropertyName("schema");
                        WriteSorted(schema);
                    }

                    writer.WriteEndObject();
                    break;
                case ChatResponseFormatText:
                    writer.WriteString("responseFormat", "text");
                    break;
            }

            switch (options.ToolMode)
            {
                case RequiredChatToolMode { RequiredFunctionName: { } name }:
                    writer.WriteString("toolMode", "required:" + name);
                    break;
                case RequiredChatToolMode:
                    writer.WriteString("toolMode", "required");
                    break;
                case NoneChatToolMode:
                    writer.WriteString("toolMode", "none");
                    break;
                case AutoChatToolMode:
                    writer.WriteString("toolMode", "auto");
                    break;
            }

            if (options.Tools is { Count: > 0 } tools)
            {
                writer.WriteStartArray("tools");
                foreach (var tool in tools)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", tool.Name);
                    WriteText("description", tool.Description);
                    if (tool is AIFunctionDeclaration function)
                    {
                        writer.WritePropertyName("schema");
                        WriteSorted(function.JsonSchema);
                    }
                    else
                    {
                        writer.WriteString("kind", tool.GetType().Name);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            // Provider-specific settings ride here as plain values; objects (such as a work item's context) are not sent to the model.
            if (options.AdditionalProperties is { Count: > 0 } properties)
            {
                var plain = properties
                    .Where(p => p.Value is string or bool or int or long or double or float or decimal)
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .ToList();
                if (plain.Count > 0)
                {
                    writer.WriteStartObject("additionalProperties");
                    foreach (var (key, value) in plain)
                    {
                        writer.WritePropertyName(key);
                        WriteValue(value);
                    }

                    writer.WriteEndObject();
                }
            }

            writer.WriteEndObject();
        }

        private void WriteText(string name, string? text)
        {
            string normalized = NormalizeText(text);
            if (normalized.Length > 0)
            {
                writer.WriteString(name, normalized);
            }
        }

        private void WriteNumber(string name, float? value)
        {
            if (value is { } v)
            {
                // Written as the decimal a person typed (0.2, not 0.200000003).
                writer.WritePropertyName(name);
                writer.WriteRawValue(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        private void WriteValue(object? value)
        {
            if (value is null)
            {
                writer.WriteNullValue();
                return;
            }

            JsonElement element;
            try
            {
                element = value is JsonElement e ? e : JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
            }
            catch (NotSupportedException)
            {
                // A value with no JSON contract: its text is what a provider would send.
                writer.WriteStringValue(value.ToString());
                return;
            }

            WriteSorted(element);
        }

        private void WriteSorted(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        writer.WritePropertyName(property.Name);
                        WriteSorted(property.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray())
                    {
                        WriteSorted(item);
                    }

                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String:
                    writer.WriteStringValue(element.GetString());
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }
    }
}
