using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using VirtualItCompany.Providers.Tests.Wire;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests;

/// <summary>
/// What each adapter sends, asserted against request examples from the vendors' public API documentation (kept in
/// Examples/, each with its source): the same conversation, made through the adapter, must produce a request body that
/// holds every field of the example with the same value (the SDKs may add fields of their own).
/// </summary>
public sealed class RequestExampleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("openai-chat-basic.json", false)]
    [InlineData("openai-chat-streaming.json", true)]
    [InlineData("openai-chat-functions.json", false)]
    public async Task OpenAI_requests_match_the_documented_examples(string example, bool streamed)
    {
        var expected = Load(example);
        await using var provider = await WireProvider.StartAsync(new OpenAIWire(), "openai", Model(expected), Wire.Wire.TestKey,
            (builder, endpoint, model, key) => builder.AddOpenAI(o =>
            {
                o.ApiKey = key;
                o.Endpoint = endpoint;
                o.Models.Add(model);
                o.Profiles.Add(new ModelProfile { Id = "openai/" + model, Provider = "openai", ModelId = model, Pricing = new(2.5m, 10m) });
            }));

        var actual = await SendAsync(provider, expected, streamed);

        AssertHolds(expected, actual, "$");
        Assert.Equal("Bearer " + Wire.Wire.TestKey, provider.Server.Requests[0].Headers["Authorization"]);
    }

    [Theory]
    [InlineData("anthropic-messages-basic.json", false)]
    [InlineData("anthropic-messages-streaming.json", true)]
    [InlineData("anthropic-messages-tools.json", false)]
    public async Task Anthropic_requests_match_the_documented_examples(string example, bool streamed)
    {
        var expected = Load(example);
        await using var provider = await WireProvider.StartAsync(new AnthropicWire(), "anthropic", Model(expected), AnthropicConformanceTests.Key,
            (builder, endpoint, model, key) => builder.AddAnthropic(o =>
            {
                o.ApiKey = key;
                o.Endpoint = endpoint;
                o.Models.Add(model);
            }));

        var actual = await SendAsync(provider, expected, streamed);

        AssertHolds(Normalize(expected), Normalize(actual), "$");
        var headers = provider.Server.Requests[0].Headers;
        // The SDK authenticates as the API version it pins asks: x-api-key, or (newer versions) a bearer token.
        bool keySent = (headers.TryGetValue("x-api-key", out var apiKey) && apiKey == AnthropicConformanceTests.Key)
            || (headers.TryGetValue("Authorization", out var bearer) && bearer == "Bearer " + AnthropicConformanceTests.Key);
        Assert.True(keySent, "The key was not sent; headers: " + string.Join(", ", headers.Keys));
        Assert.True(headers.ContainsKey("anthropic-version"), "The Messages API requires the anthropic-version header.");
    }

    [Theory]
    [InlineData("ollama-chat-streaming.json", true)]
    [InlineData("ollama-chat-tools.json", true)]
    public async Task Ollama_requests_match_the_documented_examples(string example, bool streamed)
    {
        var expected = Load(example);
        await using var provider = await WireProvider.StartAsync(new OllamaWire(), "ollama", Model(expected), null,
            (builder, endpoint, model, _) => builder.AddOllama(o =>
            {
                o.Endpoint = endpoint;
                o.Models.Add(model);
            }));

        var actual = await SendAsync(provider, expected, streamed);

        AssertHolds(expected, actual, "$");
    }

    private static JsonObject Load(string name)
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", name)))!.AsObject();
        Assert.StartsWith("https://", file["source"]!.GetValue<string>(), StringComparison.Ordinal);
        return file["request"]!.AsObject();
    }

    private static string Model(JsonObject request) => request["model"]!.GetValue<string>();

    /// <summary>Makes, through the adapter, the call the example shows, and returns the body the server received.</summary>
    private static async Task<JsonObject> SendAsync(WireProvider provider, JsonObject example, bool streamed)
    {
        provider.Enqueue(new ScriptedAnswer { Text = "ok" });
        var messages = example["messages"]!.AsArray().Select(m => new ChatMessage(new ChatRole(m!["role"]!.GetValue<string>()), m["content"]!.GetValue<string>())).ToList();
        if (example["system"] is { } system)
        {
            messages.Insert(0, new ChatMessage(ChatRole.System, system.GetValue<string>()));
        }

        var options = new ChatOptions();
        if (example["max_tokens"] is { } max)
        {
            options.MaxOutputTokens = max.GetValue<int>();
        }

        if (example["tools"] is JsonArray tools)
        {
            options.Tools = [.. tools.Select(t =>
            {
                var function = t!["function"] ?? t;
                var schema = function["parameters"] ?? function["input_schema"];
                return (AITool)AIFunctionFactory.CreateDeclaration(function["name"]!.GetValue<string>(), function["description"]?.GetValue<string>(), JsonSerializer.SerializeToElement(schema, JsonContext.Default.JsonNode));
            })];
        }

        if (example["tool_choice"]?.GetValue<string>() == "auto")
        {
            options.ToolMode = ChatToolMode.Auto;
        }

        if (streamed)
        {
            await foreach (var update in provider.Client.GetStreamingResponseAsync(messages, options, Ct))
            {
                _ = update;
            }
        }
        else
        {
            await provider.Client.GetResponseAsync(messages, options, Ct);
        }

        return Assert.Single(provider.Server.Requests).Body!.AsObject();
    }

    /// <summary>Anthropic accepts a message's content as a string or as text blocks: compare them as blocks.</summary>
    private static JsonObject Normalize(JsonObject request)
    {
        var copy = request.DeepClone().AsObject();
        foreach (var message in copy["messages"]?.AsArray() ?? [])
        {
            if (message!["content"] is JsonValue text)
            {
                message["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text.GetValue<string>() });
            }
        }

        return copy;
    }

    /// <summary>Asserts that <paramref name="actual"/> holds every field of <paramref name="expected"/> with the same value.</summary>
    private static void AssertHolds(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case JsonObject obj:
                var actualObject = Assert.IsType<JsonObject>(actual, exactMatch: false);
                foreach (var (name, value) in obj)
                {
                    Assert.True(actualObject.ContainsKey(name), $"The request has no {path}.{name}; it was: {actualObject.ToJsonString()}");
                    AssertHolds(value, actualObject[name], $"{path}.{name}");
                }

                break;
            case JsonArray array:
                var actualArray = Assert.IsType<JsonArray>(actual, exactMatch: false);
                Assert.True(array.Count == actualArray.Count, $"{path} has {actualArray.Count} items where the example has {array.Count}: {actualArray.ToJsonString()}");
                for (int i = 0; i < array.Count; i++)
                {
                    AssertHolds(array[i], actualArray[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{path} is {actual?.ToJsonString() ?? "null"} where the example has {expected?.ToJsonString() ?? "null"}.");
                break;
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonContext : System.Text.Json.Serialization.JsonSerializerContext;
