using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Security;

/// <summary>
/// The chat pipeline's redaction stage, just before routing: secrets leave no request to a model (prompts, briefs, tool results) and
/// no answer (text, tool-call arguments) that agents turn into files, events and commits.
/// </summary>
internal sealed partial class RedactingChatClient(IChatClient inner, SecretRedactor redactor) : DelegatingChatClient(inner)
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
    /// <remarks>
    /// Each update is passed on as it arrives, but its text only up to the last line break of what has arrived (a private key
    /// block only once its end line has), so a secret split across updates is still seen whole; text held back goes out at the
    /// end of its message, in an update of its own.
    /// </remarks>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pending = new System.Text.StringBuilder();
        ChatResponseUpdate? last = null;
        await foreach (var update in base.GetStreamingResponseAsync(RedactAll(messages), options, cancellationToken).ConfigureAwait(false))
        {
            if (pending.Length > 0 && last is not null && update.MessageId is { } id && last.MessageId is { } before && id != before)
            {
                yield return Rest(pending, last); // a new message: the last one's text ends here
            }

            // Text first (it is redacted once whole, not chunk by chunk), then the rest (tool calls, tool results).
            HoldBackText(update, pending);
            RedactContents(update.Contents);
            last = update;
            yield return update;
        }

        if (pending.Length > 0 && last is not null)
        {
            yield return Rest(pending, last);
        }
    }

    /// <summary>An update with the text held back, redacted, for the message of <paramref name="last"/>.</summary>
    private ChatResponseUpdate Rest(System.Text.StringBuilder pending, ChatResponseUpdate last)
    {
        var rest = new ChatResponseUpdate(last.Role ?? ChatRole.Assistant, redactor.Redact(pending.ToString()))
        {
            MessageId = last.MessageId,
            ResponseId = last.ResponseId,
            ConversationId = last.ConversationId,
            ModelId = last.ModelId,
            CreatedAt = last.CreatedAt,
        };
        pending.Clear();
        return rest;
    }

    /// <summary>Moves the update's text into <paramref name="pending"/> and gives the update back the part of all pending text that can no longer be the start of a secret, redacted.</summary>
    private void HoldBackText(ChatResponseUpdate update, System.Text.StringBuilder pending)
    {
        int first = -1;
        var contents = new List<AIContent>(update.Contents.Count);
        foreach (var content in update.Contents)
        {
            if (content is TextContent text)
            {
                first = first < 0 ? contents.Count : first;
                pending.Append(text.Text);
            }
            else
            {
                contents.Add(content);
            }
        }

        if (first < 0)
        {
            return;
        }

        var all = pending.ToString();
        int end = SafeEnd(all);
        if (end > 0)
        {
            contents.Insert(first, new TextContent(redactor.Redact(all[..end])));
            pending.Remove(0, end);
        }

        update.Contents = contents;
    }

    /// <summary>Where streamed text can be cut without cutting a secret: after its last line break (a key shape, a <c>Bearer</c> token or a <c>key = value</c> is never split over lines), but before a private key block whose end line has not arrived.</summary>
    internal static int SafeEnd(string text)
    {
        int end = text.LastIndexOf('\n') + 1;
        int begin = text.LastIndexOf("-----BEGIN", end, StringComparison.Ordinal) is var found && found >= 0 && found < end ? found : -1;
        if (begin >= 0 && !KeyBlockEnd().IsMatch(text.AsSpan(begin, end - begin)))
        {
            end = begin;
        }

        return end;
    }

    [System.Text.RegularExpressions.GeneratedRegex("-----END [A-Z0-9 ]*PRIVATE KEY-----", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex KeyBlockEnd();

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
