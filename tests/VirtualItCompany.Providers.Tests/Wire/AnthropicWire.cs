using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests.Wire;

/// <summary>Anthropic's Messages API: JSON, and its event stream (message_start, content_block_*, message_delta, message_stop) when <c>stream</c> is true.</summary>
public sealed class AnthropicWire : IWireProtocol
{
    public string BasePath => "";

    public bool IsChat(RecordedRequest request) => request.Method == "POST" && request.Path == "/v1/messages";

    public bool IsStreaming(RecordedRequest request) => request.Body?["stream"]?.GetValue<bool>() == true;

    private static string ModelOf(RecordedRequest request) => request.Body?["model"]?.GetValue<string>() ?? "?";

    // Anthropic's input_tokens leaves out the tokens read from (or written to) the cache: they are reported beside it.
    private static JsonObject Usage(ScriptedAnswer answer, int? output = null) => new()
    {
        ["input_tokens"] = answer.InputTokens - answer.CachedInputTokens,
        ["cache_creation_input_tokens"] = 0,
        ["cache_read_input_tokens"] = answer.CachedInputTokens,
        ["output_tokens"] = output ?? answer.OutputTokens,
        ["service_tier"] = "standard",
    };

    private static string Stop(ScriptedAnswer answer) => answer.Refused ? "refusal" : answer.ToolCalls.Count > 0 ? "tool_use" : "end_turn";

    public async Task WriteAnswerAsync(HttpContext context, RecordedRequest request, ScriptedAnswer answer, bool stream)
    {
        string model = ModelOf(request);
        if (!stream)
        {
            var content = new JsonArray();
            if (answer.Text is { } text)
            {
                content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
            }

            foreach (var call in answer.ToolCalls)
            {
                content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = call.Id, ["name"] = call.Name, ["input"] = JsonNode.Parse(call.ArgumentsJson) });
            }

            await Wire.WriteJsonAsync(context, 200, new JsonObject
            {
                ["id"] = "msg_01FakeWire", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = content,
                ["stop_reason"] = Stop(answer), ["stop_sequence"] = null, ["usage"] = Usage(answer),
            });
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        async Task Event(string name, JsonObject data)
        {
            await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        await Event("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = "msg_01FakeWire", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
                ["stop_reason"] = null, ["stop_sequence"] = null, ["usage"] = Usage(answer, output: 1),
            },
        });
        int index = 0;
        if (answer.Text is { } streamed)
        {
            await Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } });
            bool first = true;
            foreach (string piece in Wire.Pieces(streamed))
            {
                await Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece } });
                if (first && answer.HoldAfterFirstChunk)
                {
                    await Wire.HoldUntilAbortedAsync(context);
                }

                first = false;
            }

            await Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index++ });
        }

        foreach (var call in answer.ToolCalls)
        {
            await Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = call.Id, ["name"] = call.Name, ["input"] = new JsonObject() } });
            foreach (string piece in Wire.Pieces(call.ArgumentsJson))
            {
                await Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = piece } });
            }

            await Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index++ });
        }

        await Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = Stop(answer), ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = answer.OutputTokens },
        });
        await Event("message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    public async Task WriteFailureAsync(HttpContext context, RecordedRequest request, ScriptedFailure failure, bool stream)
    {
        string model = ModelOf(request);
        static JsonObject Error(string type, string message) => new() { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message }, ["request_id"] = "req_011FakeWire" };
        switch (failure.Failure)
        {
            case ProviderFailure.RateLimited:
                await Wire.WriteJsonAsync(context, 429, Error("rate_limit_error", "This request would exceed the rate limit for your organization of 50,000 input tokens per minute."), Wire.Seconds(failure.RetryAfter));
                break;
            case ProviderFailure.Overloaded:
                await Wire.WriteJsonAsync(context, 529, Error("overloaded_error", "Overloaded"), Wire.Seconds(failure.RetryAfter));
                break;
            case ProviderFailure.Unauthorized:
                await Wire.WriteJsonAsync(context, 401, Error("authentication_error", "invalid x-api-key"));
                break;
            case ProviderFailure.ModelNotFound:
                await Wire.WriteJsonAsync(context, 404, Error("not_found_error", $"model: {model}"));
                break;
            case ProviderFailure.ContextTooLong:
                await Wire.WriteJsonAsync(context, 400, Error("invalid_request_error", "prompt is too long: 215086 tokens > 200000 maximum"));
                break;
            case ProviderFailure.ServerError:
                await Wire.WriteJsonAsync(context, 500, Error("api_error", "Internal server error"));
                break;
            case ProviderFailure.HtmlErrorPage:
                await Wire.WriteHtmlAsync(context);
                break;
            case ProviderFailure.TruncatedStream:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync($"event: message_start\ndata: {{\"type\":\"message_start\",\"message\":{{\"id\":\"msg_01FakeWire\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"{model}\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{{\"input_tokens\":10,\"output_tokens\":1}}}}}}\n\nevent: content_block_start\ndata: {{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{{\"type\":\"text\",\"text\":\"\"}}}}\n\nevent: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"Half an ans\"}}}}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                break;
        }
    }
}
