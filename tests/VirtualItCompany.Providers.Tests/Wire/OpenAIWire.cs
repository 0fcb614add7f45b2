using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests.Wire;

/// <summary>OpenAI's chat completions API (JSON, and server-sent events when <c>stream</c> is true), as api.openai.com and Groq speak it.</summary>
public sealed class OpenAIWire : IWireProtocol
{
    public string BasePath => "v1/";

    public bool IsChat(RecordedRequest request) => request.Method == "POST" && request.Path == "/v1/chat/completions";

    public bool IsStreaming(RecordedRequest request) => request.Body?["stream"]?.GetValue<bool>() == true;

    private static string ModelOf(RecordedRequest request) => request.Body?["model"]?.GetValue<string>() ?? "?";

    private static JsonObject Usage(ScriptedAnswer answer) => new()
    {
        ["prompt_tokens"] = answer.InputTokens,
        ["completion_tokens"] = answer.OutputTokens,
        ["total_tokens"] = answer.InputTokens + answer.OutputTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = answer.CachedInputTokens, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0, ["audio_tokens"] = 0, ["accepted_prediction_tokens"] = 0, ["rejected_prediction_tokens"] = 0 },
    };

    private static string Finish(ScriptedAnswer answer) => answer.Refused ? "content_filter" : answer.ToolCalls.Count > 0 ? "tool_calls" : "stop";

    public async Task WriteAnswerAsync(HttpContext context, RecordedRequest request, ScriptedAnswer answer, bool stream)
    {
        string model = ModelOf(request);
        if (!stream)
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = answer.Text, ["refusal"] = null };
            if (answer.ToolCalls.Count > 0)
            {
                message["tool_calls"] = new JsonArray([.. answer.ToolCalls.Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.ArgumentsJson },
                })]);
            }

            await Wire.WriteJsonAsync(context, 200, new JsonObject
            {
                ["id"] = "chatcmpl-fake1", ["object"] = "chat.completion", ["created"] = 1_741_569_952, ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = Finish(answer) }),
                ["usage"] = Usage(answer), ["service_tier"] = "default", ["system_fingerprint"] = "fp_fake",
            });
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        bool first = true;
        async Task Chunk(JsonObject delta, string? finish, bool withChoice = true, JsonObject? usage = null)
        {
            var chunk = new JsonObject
            {
                ["id"] = "chatcmpl-fake1", ["object"] = "chat.completion.chunk", ["created"] = 1_741_569_952, ["model"] = model, ["system_fingerprint"] = "fp_fake",
                ["choices"] = withChoice ? new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }) : new JsonArray(),
                ["usage"] = usage,
            };
            await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        await Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }, null);
        foreach (string piece in Wire.Pieces(answer.Text ?? ""))
        {
            await Chunk(new JsonObject { ["content"] = piece }, null);
            if (first && answer.HoldAfterFirstChunk)
            {
                await Wire.HoldUntilAbortedAsync(context);
            }

            first = false;
        }

        for (int i = 0; i < answer.ToolCalls.Count; i++)
        {
            var call = answer.ToolCalls[i];
            await Chunk(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["id"] = call.Id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = "" } }) }, null);
            foreach (string piece in Wire.Pieces(call.ArgumentsJson))
            {
                await Chunk(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = piece } }) }, null);
            }
        }

        await Chunk(new JsonObject(), Finish(answer));
        // stream_options.include_usage: a last chunk with no choices carries the usage.
        if (request.Body?["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            await Chunk(new JsonObject(), null, withChoice: false, usage: Usage(answer));
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    public async Task WriteFailureAsync(HttpContext context, RecordedRequest request, ScriptedFailure failure, bool stream)
    {
        string model = ModelOf(request);
        static JsonObject Error(string message, string type, string? code, string? param = null) =>
            new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code } };
        switch (failure.Failure)
        {
            case ProviderFailure.RateLimited:
                await Wire.WriteJsonAsync(context, 429, Error($"Rate limit reached for {model} in organization org-fake on tokens per min (TPM): Limit 30000, Used 29844, Requested 1208. Please try again in 7s.", "tokens", "rate_limit_exceeded"), Wire.Seconds(failure.RetryAfter));
                break;
            case ProviderFailure.Overloaded:
                await Wire.WriteJsonAsync(context, 503, Error("The engine is currently overloaded, please try again later.", "server_error", null), Wire.Seconds(failure.RetryAfter));
                break;
            case ProviderFailure.Unauthorized:
                // OpenAI echoes (part of) the key it refused; this one echoes all of it, so the test proves it is redacted.
                await Wire.WriteJsonAsync(context, 401, Error($"Incorrect API key provided: {Wire.TestKey}. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"));
                break;
            case ProviderFailure.ModelNotFound:
                await Wire.WriteJsonAsync(context, 404, Error($"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"));
                break;
            case ProviderFailure.ContextTooLong:
                await Wire.WriteJsonAsync(context, 400, Error("This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.", "invalid_request_error", "context_length_exceeded", "messages"));
                break;
            case ProviderFailure.ServerError:
                await Wire.WriteJsonAsync(context, 500, Error("The server had an error while processing your request. Sorry about that!", "server_error", null));
                break;
            case ProviderFailure.HtmlErrorPage:
                await Wire.WriteHtmlAsync(context);
                break;
            case ProviderFailure.TruncatedStream:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync($"data: {{\"id\":\"chatcmpl-fake1\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"{model}\",\"choices\":[{{\"index\":0,\"delta\":{{\"role\":\"assistant\",\"content\":\"Half an ans\"}},\"finish_reason\":null}}]}}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                break;
        }
    }
}
