using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests.Wire;

/// <summary>Ollama's /api/chat: one JSON object when <c>stream</c> is false, else newline-delimited JSON objects ending with <c>"done": true</c>.</summary>
public sealed class OllamaWire : IWireProtocol
{
    public string BasePath => "";

    public bool IsChat(RecordedRequest request) => request.Method == "POST" && request.Path == "/api/chat";

    // Ollama streams unless told not to.
    public bool IsStreaming(RecordedRequest request) => request.Body?["stream"]?.GetValue<bool>() != false;

    private static string ModelOf(RecordedRequest request) => request.Body?["model"]?.GetValue<string>() ?? "?";

    private static JsonObject Chunk(string model, JsonObject message, bool done) => new()
    {
        ["model"] = model, ["created_at"] = "2023-08-04T19:22:45.499127Z", ["message"] = message, ["done"] = done,
    };

    private static void Finish(JsonObject chunk, ScriptedAnswer answer)
    {
        chunk["done_reason"] = "stop";
        chunk["total_duration"] = 4_883_583_458L;
        chunk["load_duration"] = 1_334_875L;
        chunk["prompt_eval_count"] = answer.InputTokens;
        chunk["prompt_eval_duration"] = 342_546_000L;
        chunk["eval_count"] = answer.OutputTokens;
        chunk["eval_duration"] = 4_535_599_000L;
    }

    private static JsonArray ToolCalls(ScriptedAnswer answer) =>
        new([.. answer.ToolCalls.Select(c => (JsonNode)new JsonObject { ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = JsonNode.Parse(c.ArgumentsJson) } })]);

    public async Task WriteAnswerAsync(HttpContext context, RecordedRequest request, ScriptedAnswer answer, bool stream)
    {
        string model = ModelOf(request);
        if (!stream)
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = answer.Text ?? "" };
            if (answer.ToolCalls.Count > 0)
            {
                message["tool_calls"] = ToolCalls(answer);
            }

            var whole = Chunk(model, message, done: true);
            Finish(whole, answer);
            await Wire.WriteJsonAsync(context, 200, whole);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-ndjson";
        async Task Line(JsonObject chunk)
        {
            await context.Response.WriteAsync(chunk.ToJsonString() + "\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        bool first = true;
        foreach (string piece in Wire.Pieces(answer.Text ?? ""))
        {
            await Line(Chunk(model, new JsonObject { ["role"] = "assistant", ["content"] = piece }, done: false));
            if (first && answer.HoldAfterFirstChunk)
            {
                await Wire.HoldUntilAbortedAsync(context);
            }

            first = false;
        }

        if (answer.ToolCalls.Count > 0)
        {
            // Ollama sends a model's tool calls whole, in one chunk.
            await Line(Chunk(model, new JsonObject { ["role"] = "assistant", ["content"] = "", ["tool_calls"] = ToolCalls(answer) }, done: false));
        }

        var last = Chunk(model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, done: true);
        Finish(last, answer);
        await Line(last);
    }

    public async Task WriteFailureAsync(HttpContext context, RecordedRequest request, ScriptedFailure failure, bool stream)
    {
        string model = ModelOf(request);
        static JsonObject Error(string message) => new() { ["error"] = message };
        switch (failure.Failure)
        {
            case ProviderFailure.RateLimited:
                // Ollama itself does not rate-limit; a gateway in front of it does, as here.
                await Wire.WriteJsonAsync(context, 429, Error("too many requests"), Wire.Seconds(failure.RetryAfter));
                break;
            case ProviderFailure.Overloaded:
                // Ollama answers 503 when its request queue is full (OLLAMA_MAX_QUEUE).
                await Wire.WriteJsonAsync(context, 503, Error("server busy, please try again.  maximum pending requests exceeded"), Wire.Seconds(failure.RetryAfter));
                break;
            case ProviderFailure.Unauthorized:
                await Wire.WriteJsonAsync(context, 401, Error("unauthorized"));
                break;
            case ProviderFailure.ModelNotFound:
                await Wire.WriteJsonAsync(context, 404, Error($"model \"{model}\" not found, try pulling it first"));
                break;
            case ProviderFailure.ContextTooLong:
                await Wire.WriteJsonAsync(context, 400, Error("the input length exceeds the context length"));
                break;
            case ProviderFailure.ServerError:
                await Wire.WriteJsonAsync(context, 500, Error("llama runner process has terminated: exit status 2"));
                break;
            case ProviderFailure.HtmlErrorPage:
                await Wire.WriteHtmlAsync(context);
                break;
            case ProviderFailure.TruncatedStream:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-ndjson";
                await context.Response.WriteAsync(Chunk(model, new JsonObject { ["role"] = "assistant", ["content"] = "Half an ans" }, done: false).ToJsonString() + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                break;
        }
    }
}
