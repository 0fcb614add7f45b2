using System.Text;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Chat;

/// <summary>
/// Gives structured output to a model whose profile lacks <see cref="ModelCapabilities.JsonSchema"/>: a call that asks for a
/// JSON schema (<see cref="ChatResponseFormatJson"/>) reaches the model with the schema written into its last user message and
/// no response format, and the answer's one JSON value (found by <see cref="JsonAnswer"/> in fences or chatty text) replaces
/// the answer's text. An answer without exactly one JSON value is passed on as it came, for the caller to repair.
/// </summary>
/// <remarks>The company wraps each such model's own client in this, below the router, so the choice is made per chosen model.</remarks>
internal sealed class PromptedJsonChatClient(IChatClient model) : DelegatingChatClient(model)
{
    /// <summary>The heading of the section that carries the schema.</summary>
    public const string SectionHeading = "## Answer format";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options?.ResponseFormat is not ChatResponseFormatJson format)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.GetResponseAsync(Prompt(messages, format), WithoutFormat(options), cancellationToken).ConfigureAwait(false);
        if (response.Messages.Count > 0 && JsonAnswer.TryRead(response.Text, JsonAnswer.KindOf(format.Schema), out string json, out _))
        {
            var last = response.Messages[^1];
            response.Messages = [new ChatMessage(ChatRole.Assistant, json) { AuthorName = last.AuthorName, MessageId = last.MessageId, CreatedAt = last.CreatedAt }];
        }

        return response;
    }

    /// <remarks>A stream is passed on as the model writes it (with the schema in the prompt); its reader finds the JSON.</remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        options?.ResponseFormat is ChatResponseFormatJson format
            ? base.GetStreamingResponseAsync(Prompt(messages, format), WithoutFormat(options), cancellationToken)
            : base.GetStreamingResponseAsync(messages, options, cancellationToken);

    /// <summary>Writes the answer format into the conversation: appended to the last user message (some chat templates refuse two user messages in a row).</summary>
    internal static List<ChatMessage> Prompt(IEnumerable<ChatMessage> messages, ChatResponseFormatJson format)
    {
        var list = messages.ToList();
        var section = new StringBuilder()
            .Append("\n\n").Append(SectionHeading).Append('\n')
            .Append("Answer with one JSON value that conforms to the JSON schema below, and nothing else: no explanation before or after it. ")
            .Append("Give every property the schema requires and no other.\n");
        if (!string.IsNullOrWhiteSpace(format.SchemaName))
        {
            section.Append("Name: ").Append(format.SchemaName).Append('\n');
        }

        if (!string.IsNullOrWhiteSpace(format.SchemaDescription))
        {
            section.Append("Description: ").Append(format.SchemaDescription).Append('\n');
        }

        section.Append(format.Schema is { } schema
            ? "```json\n" + schema.GetRawText() + "\n```\n"
            : "Any JSON value is accepted.\n");

        int index = list.FindLastIndex(m => m.Role == ChatRole.User);
        if (index < 0)
        {
            list.Add(new ChatMessage(ChatRole.User, section.ToString().TrimStart()));
            return list;
        }

        var user = list[index];
        list[index] = new ChatMessage(ChatRole.User, [.. user.Contents, new TextContent(section.ToString())])
        {
            AuthorName = user.AuthorName,
            MessageId = user.MessageId,
            CreatedAt = user.CreatedAt,
            AdditionalProperties = user.AdditionalProperties,
        };
        return list;
    }

    private static ChatOptions WithoutFormat(ChatOptions options)
    {
        var copy = options.Clone();
        copy.ResponseFormat = null;
        return copy;
    }
}
