using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using VirtualItCompany.Providers.Offline;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests.Wire;

/// <summary>
/// Answers an OpenAI chat completions request with what the offline model answers to it: the request is read back into
/// Microsoft.Extensions.AI messages, tools and response format (only what the wire carries), and the answer is encoded
/// in the protocol by <see cref="OpenAIWire"/>. So a fake provider can serve a whole delivery.
/// </summary>
internal static class OfflineResponder
{
    private static readonly IChatClient s_offline = OfflineModel.CreateChatClient();

    public static async Task<ProviderScript> AnswerAsync(RecordedRequest request, CancellationToken cancellationToken)
    {
        var body = request.Body!.AsObject();
        var messages = new List<ChatMessage>();
        foreach (var node in body["messages"]!.AsArray())
        {
            var m = node!.AsObject();
            string role = m["role"]!.GetValue<string>();
            var contents = new List<AIContent>();
            if (Text(m["content"]) is { Length: > 0 } text)
            {
                contents.Add(role == "tool" ? new FunctionResultContent(m["tool_call_id"]!.GetValue<string>(), text) : new TextContent(text));
            }

            foreach (var call in m["tool_calls"]?.AsArray() ?? [])
            {
                var function = call!["function"]!;
                var arguments = JsonSerializer.Deserialize(function["arguments"]!.GetValue<string>(), AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Dictionary<string, object?>))) as Dictionary<string, object?>;
                contents.Add(new FunctionCallContent(call["id"]!.GetValue<string>(), function["name"]!.GetValue<string>(), arguments));
            }

            messages.Add(new ChatMessage(role == "developer" ? ChatRole.System : new ChatRole(role), contents));
        }

        var options = new ChatOptions();
        if (body["tools"] is JsonArray tools)
        {
            options.Tools = [.. tools.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(
                t!["function"]!["name"]!.GetValue<string>(),
                t["function"]!["description"]?.GetValue<string>(),
                JsonSerializer.SerializeToElement(t["function"]!["parameters"], JsonContext.Default.JsonNode)))];
        }

        if (body["response_format"] is { } format && format["type"]?.GetValue<string>() == "json_schema")
        {
            var schema = format["json_schema"]!;
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(schema["schema"], JsonContext.Default.JsonNode), schema["name"]?.GetValue<string>());
        }

        var response = await s_offline.GetResponseAsync(messages, options, cancellationToken);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
            .Select(c => new ScriptedToolCall(c.CallId, c.Name, JsonSerializer.Serialize(c.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)))))
            .ToList();
        return new ScriptedAnswer
        {
            Text = response.Text is { Length: > 0 } answer ? answer : null,
            ToolCalls = calls,
            InputTokens = (int)(response.Usage?.InputTokenCount ?? 1),
            OutputTokens = (int)(response.Usage?.OutputTokenCount ?? 1),
        };
    }

    private static string? Text(JsonNode? content) => content switch
    {
        null => null,
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => null,
    };
}
