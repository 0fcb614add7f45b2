using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Chat;

/// <summary>
/// Gives tool calling to a model whose profile lacks <see cref="ModelCapabilities.Tools"/>: a call that offers tools reaches the
/// model with the tools described in its last user message and no tools in its options; the earlier turns' tool calls and
/// results are written as text. A tool call the model writes (fenced or in chatty text) becomes <see cref="FunctionCallContent"/>,
/// so Microsoft.Extensions.AI's function invocation above the router runs it and calls again with the result.
/// </summary>
/// <remarks>
/// A reply that tries to call a tool but cannot be used (unreadable, an unknown tool, arguments that are not an object or lack a
/// required property) becomes a call of <see cref="RepairToolName"/>, which no tool answers: the function invocation loop comes
/// back, and this client then shows the model what was wrong instead of a result. Each repair is thus a routed, budgeted call
/// like any other (a repair inside this client would be a second model call under one reservation); after
/// <see cref="MaxRepairs"/> repairs in a conversation the reply is passed on as text.
/// </remarks>
internal sealed class PromptedToolsChatClient(IChatClient model) : DelegatingChatClient(model)
{
    /// <summary>The heading of the section that describes the tools.</summary>
    public const string SectionHeading = "## Tools";

    /// <summary>The name of the call that stands for a tool call that could not be used; no tool has it.</summary>
    public const string RepairToolName = "vic_unreadable_tool_call";

    /// <summary>How many unusable tool calls a conversation may have before a reply is passed on as it is.</summary>
    public const int MaxRepairs = 2;

    private const string CallIdPrefix = "prompted-call-";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tools = ToolsOf(options);
        var conversation = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        if (tools.Count == 0 && !HasToolTurns(conversation))
        {
            return await base.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.GetResponseAsync(Prompt(conversation, tools, options?.ToolMode), WithoutTools(options), cancellationToken).ConfigureAwait(false);
        if (tools.Count > 0 && response.Messages.Count > 0)
        {
            int repairs = conversation.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count(c => c.Name == RepairToolName);
            int calls = conversation.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count();
            var read = ToolCallText.Read(response.Text, tools);
            if (read.Calls.Count > 0 || (read.Problem is not null && repairs < MaxRepairs))
            {
                var last = response.Messages[^1];
                var contents = read.Calls.Count > 0
                    ? read.Calls.Select((c, i) => (AIContent)new FunctionCallContent(CallIdPrefix + (calls + i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), c.Name, c.Arguments)).ToList()
                    : [new FunctionCallContent(CallIdPrefix + (calls + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), RepairToolName, new Dictionary<string, object?>
                    {
                        ["problem"] = read.Problem,
                        ["answer"] = Excerpt(response.Text),
                    })];
                response.Messages = [new ChatMessage(ChatRole.Assistant, contents) { AuthorName = last.AuthorName, MessageId = last.MessageId, CreatedAt = last.CreatedAt }];
                response.FinishReason = ChatFinishReason.ToolCalls;
            }
        }

        return response;
    }

    /// <remarks>With tools offered, the model's answer is read whole (a tool call cannot be told from text until it ends) and then given as updates.</remarks>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        if (ToolsOf(options).Count == 0 && !HasToolTurns(conversation))
        {
            await foreach (var update in base.GetStreamingResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        var response = await GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    private static List<AIFunctionDeclaration> ToolsOf(ChatOptions? options) =>
        options is { Tools.Count: > 0 } && options.ToolMode is not NoneChatToolMode ? [.. options.Tools.OfType<AIFunctionDeclaration>()] : [];

    private static bool HasToolTurns(IReadOnlyList<ChatMessage> conversation) =>
        conversation.Any(m => m.Contents.Any(c => c is FunctionCallContent or FunctionResultContent));

    private static ChatOptions? WithoutTools(ChatOptions? options)
    {
        if (options is null)
        {
            return null;
        }

        var copy = options.Clone();
        copy.Tools = null;
        copy.ToolMode = null;
        copy.AllowMultipleToolCalls = null;
        return copy;
    }

    private static string Excerpt(string text) => text.Length <= 400 ? text : text[..400] + "...";

    /// <summary>
    /// The conversation as a model without tool support can read it: tool calls as the JSON it writes, tool results (and the
    /// problems of unusable calls) as user text, consecutive user turns merged (some chat templates refuse two in a row), and the
    /// tools described at the end of the last user message.
    /// </summary>
    internal static List<ChatMessage> Prompt(IReadOnlyList<ChatMessage> conversation, IReadOnlyList<AIFunctionDeclaration> tools, ChatToolMode? mode)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var list = new List<ChatMessage>();
        foreach (var message in conversation)
        {
            var calls = message.Contents.OfType<FunctionCallContent>().ToList();
            var results = message.Contents.OfType<FunctionResultContent>().ToList();
            if (calls.Count == 0 && results.Count == 0)
            {
                list.Add(message);
                continue;
            }

            var kept = message.Contents.Where(c => c is not (FunctionCallContent or FunctionResultContent)).ToList();
            if (calls.Count > 0)
            {
                foreach (var call in calls)
                {
                    names[call.CallId] = call.Name;
                }

                var repair = calls.FirstOrDefault(c => c.Name == RepairToolName);
                string text = repair is not null
                    ? repair.Arguments?.TryGetValue("answer", out var answer) == true ? answer?.ToString() ?? "" : ""
                    : ToolCallText.Write(calls);
                Append(list, message.Role, [.. kept, new TextContent(text)], message);
            }

            if (results.Count > 0)
            {
                var text = new StringBuilder();
                foreach (var result in results)
                {
                    string name = names.TryGetValue(result.CallId, out var n) ? n : "?";
                    if (name == RepairToolName)
                    {
                        var call = conversation.SelectMany(m => m.Contents).OfType<FunctionCallContent>().FirstOrDefault(c => c.CallId == result.CallId);
                        string problem = call?.Arguments?.TryGetValue("problem", out var p) == true ? p?.ToString() ?? "" : "";
                        text.Append("Your last answer tried to call a tool but could not be used: ").Append(problem)
                            .Append(". Answer again: either only the tool call, exactly in the format described under \"").Append(SectionHeading)
                            .Append("\", or your final answer without any tool call.\n\n");
                        continue;
                    }

                    text.Append("### Result of ").Append(name).Append('\n').Append("```\n").Append(ResultText(result.Result)).Append("\n```\n\n");
                }

                Append(list, ChatRole.User, [.. kept, new TextContent(text.ToString().TrimEnd())], message);
            }
        }

        if (tools.Count == 0)
        {
            return list;
        }

        string section = "\n\n" + ToolCallText.Describe(tools, mode);
        int index = list.FindLastIndex(m => m.Role == ChatRole.User);
        if (index < 0)
        {
            list.Add(new ChatMessage(ChatRole.User, section.TrimStart()));
            return list;
        }

        var user = list[index];
        list[index] = new ChatMessage(ChatRole.User, [.. user.Contents, new TextContent(section)])
        {
            AuthorName = user.AuthorName,
            MessageId = user.MessageId,
            CreatedAt = user.CreatedAt,
            AdditionalProperties = user.AdditionalProperties,
        };
        return list;
    }

    private static void Append(List<ChatMessage> list, ChatRole role, List<AIContent> contents, ChatMessage source)
    {
        if (role == ChatRole.Tool)
        {
            role = ChatRole.User;
        }

        if (list.Count > 0 && list[^1].Role == role)
        {
            var previous = list[^1];
            list[^1] = new ChatMessage(role, [.. previous.Contents, new TextContent("\n\n"), .. contents])
            {
                AuthorName = previous.AuthorName,
                MessageId = previous.MessageId,
                CreatedAt = previous.CreatedAt,
                AdditionalProperties = previous.AdditionalProperties,
            };
            return;
        }

        list.Add(new ChatMessage(role, contents) { AuthorName = source.AuthorName, MessageId = source.MessageId, CreatedAt = source.CreatedAt });
    }

    private static string ResultText(object? result) => result switch
    {
        null => "null",
        string text => text,
        JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString() ?? "" : element.GetRawText(),
        _ => ToolCallText.Serialize(result),
    };
}
