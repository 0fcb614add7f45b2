using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>
/// The size and needs of a prompt. <see cref="TokenBound"/> is a true upper bound of its tokens (no tokenizer emits
/// more tokens than UTF-8 bytes, plus a fixed allowance per message, tool and image), used to reserve the worst-case
/// cost; <see cref="ExpectedTokens"/> (a third of the bytes) is used to check the context window. Content the router
/// cannot size (hosted files, a URI to a PDF, any unknown content type) and hosted tools (web search, code interpreter,
/// file search: the provider adds their results to the prompt) make the prompt <see cref="Unbounded"/>: the router then
/// reserves as if it filled each model's whole context window, the worst case.
/// </summary>
internal readonly record struct PromptMeasure(long TokenBound, long ExpectedTokens, ModelCapabilities Required, string? LastUserText, bool CodeTools, bool Unbounded = false)
{
    private static readonly string[] CodeToolWords = ["file", "code", "build", "test", "git", "command", "compile"];

    public static PromptMeasure Of(IReadOnlyList<ChatMessage> messages, ChatOptions? options, int messageOverhead, int imageTokens)
    {
        long bytes = 0;
        long fixedTokens = 0;
        var required = ModelCapabilities.None;
        string? lastUser = null;
        bool unbounded = false;
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            fixedTokens += messageOverhead;
            var contents = message.Contents;
            for (int j = 0; j < contents.Count; j++)
            {
                switch (contents[j])
                {
                    case TextContent text:
                        bytes += Utf8(text.Text);
                        if (message.Role == ChatRole.User)
                        {
                            lastUser = text.Text;
                        }

                        break;
                    case TextReasoningContent reasoning:
                        bytes += Utf8(reasoning.Text);
                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        fixedTokens += imageTokens;
                        required |= ModelCapabilities.Vision;
                        break;
                    case UriContent uri when uri.HasTopLevelMediaType("image"):
                        fixedTokens += imageTokens;
                        required |= ModelCapabilities.Vision;
                        break;
                    case DataContent data:
                        bytes += data.Data.Length;
                        break;
                    case FunctionCallContent call:
                        bytes += Utf8(call.Name) + Utf8(call.CallId) + JsonBytes(call.Arguments);
                        break;
                    case FunctionResultContent result:
                        bytes += Utf8(result.CallId) + (result.Result is string s ? Utf8(s) : JsonBytes(result.Result));
                        break;
                    default:
                        // Hosted files, URIs to documents, unknown content: their size is not known here.
                        fixedTokens += 16;
                        unbounded = true;
                        break;
                }
            }
        }

        bool codeTools = false;
        if (options is not null)
        {
            bytes += Utf8(options.Instructions);
            if (options.Tools is { Count: > 0 } tools)
            {
                required |= ModelCapabilities.Tools;
                foreach (var tool in tools)
                {
                    fixedTokens += messageOverhead;
                    bytes += Utf8(tool.Name) + Utf8(tool.Description);
                    if (tool is AIFunctionDeclaration function)
                    {
                        bytes += Utf8(function.JsonSchema.GetRawText());
                    }
                    else
                    {
                        // A hosted tool (web search, file search, code interpreter): the provider adds its results to the prompt.
                        unbounded = true;
                    }

                    codeTools |= ContainsAny(tool.Name, CodeToolWords);
                }
            }

            if (options.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } json)
            {
                required |= ModelCapabilities.JsonSchema;
                bytes += Utf8(schema.GetRawText()) + Utf8(json.SchemaName) + Utf8(json.SchemaDescription);
            }
        }

        long bound = bytes + fixedTokens;
        return new PromptMeasure(bound, (bytes + 2) / 3 + fixedTokens, required, lastUser, codeTools, unbounded);
    }

    internal static bool ContainsAny(string? text, string[] words)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var word in words)
        {
            if (text.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static long Utf8(string? text) => string.IsNullOrEmpty(text) ? 0 : Encoding.UTF8.GetByteCount(text);

    private static long JsonBytes(object? value) => value is null ? 4 : JsonSerializer.SerializeToUtf8Bytes(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())).Length;
}
