using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Security;

/// <summary>
/// The chat pipeline's redaction stage, just before routing: secrets leave no request to a model (prompts, briefs, tool results) and
/// no answer (text, tool-call arguments) that agents turn into files, events and commits.
/// </summary>
internal sealed class RedactingChatClient(IChatClient inner, SecretRedactor redactor) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(RedactAll(messages), options, cancellationToken).ConfigureAwait(false);
        foreach (var message in response.Messages)
        {
            Redact(message);
        }

        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(RedactAll(messages), options, cancellationToken).ConfigureAwait(false))
        {
            // A secret split across two updates is not seen here; agents read whole responses (GetResponseAsync).
            RedactContents(update.Contents);
            yield return update;
        }
    }

    private List<ChatMessage> RedactAll(IEnumerable<ChatMessage> messages)
    {
        var copies = new List<ChatMessage>();
        foreach (var message in messages)
        {
            var copy = message.Clone();
            copy.Contents = [.. message.Contents];
            Redact(copy);
            copies.Add(copy);
        }

        return copies;
    }

    private void Redact(ChatMessage message) => RedactContents(message.Contents);

    private void RedactContents(IList<AIContent> contents)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent text when text.Text is { } value && !ReferenceEquals(redactor.Redact(value), value):
                    contents[i] = new TextContent(redactor.Redact(value)) { AdditionalProperties = text.AdditionalProperties };
                    break;
                case FunctionResultContent result when result.Result is string value && !ReferenceEquals(redactor.Redact(value), value):
                    contents[i] = new FunctionResultContent(result.CallId, redactor.Redact(value));
                    break;
                case FunctionResultContent result when result.Result is { } other && other.ToString() is { } shown && !ReferenceEquals(redactor.Redact(shown), shown):
                    contents[i] = new FunctionResultContent(result.CallId, redactor.Redact(shown));
                    break;
                case FunctionCallContent call when call.Arguments is { Count: > 0 } arguments:
                    foreach (var key in arguments.Keys.ToArray())
                    {
                        if (arguments[key] is string value)
                        {
                            arguments[key] = key.Contains("path", StringComparison.OrdinalIgnoreCase) ? redactor.RedactPath(value) : redactor.Redact(value);
                        }
                        else if (arguments[key] is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } element && element.GetString() is { } text)
                        {
                            arguments[key] = key.Contains("path", StringComparison.OrdinalIgnoreCase) ? redactor.RedactPath(text) : redactor.Redact(text);
                        }
                    }

                    break;
            }
        }
    }
}
