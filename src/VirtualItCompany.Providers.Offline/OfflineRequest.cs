using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Providers.Offline;

/// <summary>What the offline model sees of a request: the prompts' sections, the structured-output schema and the tools offered.</summary>
internal sealed class OfflineRequest
{
    private OfflineRequest(PromptSections sections, ChatResponseFormatJson? format, AIFunctionDeclaration? writeFile, bool hasToolResults, string allText)
    {
        ToolCalls = [];
        ToolFailures = 0;
        Sections = sections;
        Format = format;
        WriteFile = writeFile;
        HasToolResults = hasToolResults;
        AllText = allText;
    }

    /// <summary>Gets the sections of the system and user messages, read by what their labels mean.</summary>
    public PromptSections Sections { get; }

    /// <summary>Gets the structured-output format asked for, if any.</summary>
    public ChatResponseFormatJson? Format { get; }

    /// <summary>Gets the <c>write_file</c> tool, when offered.</summary>
    public AIFunctionDeclaration? WriteFile { get; }

    /// <summary>Gets whether the conversation already holds tool results (the files were written).</summary>
    public bool HasToolResults { get; }

    /// <summary>Gets the tool calls already made in the conversation.</summary>
    public List<FunctionCallContent> ToolCalls { get; private init; }

    /// <summary>Gets the ids of the tool calls whose results carry no error.</summary>
    public HashSet<string> SucceededCalls { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Gets how many tool results carry an error.</summary>
    public int ToolFailures { get; private init; }

    /// <summary>Gets all the text of the conversation, for token counts and stable ids.</summary>
    public string AllText { get; }

    /// <summary>Reads a request.</summary>
    public static OfflineRequest From(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var prompts = new List<(string Text, bool IsSystem)>();
        var all = new StringBuilder();
        bool hasResults = false;
        var calls = new List<FunctionCallContent>();
        int failures = 0;
        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.User || message.Role == ChatRole.System)
            {
                prompts.Add((message.Text, message.Role == ChatRole.System));
            }

            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        all.Append(text.Text).Append('\n');
                        break;
                    case FunctionCallContent call:
                        calls.Add(call);
                        all.Append(call.Name).Append(OfflineJsonContext.Arguments(call.Arguments)).Append('\n');
                        break;
                    case FunctionResultContent result:
                        hasResults = true;
                        failures += result.Exception is null ? 0 : 1;
                        if (result.Exception is null)
                        {
                            succeeded.Add(result.CallId);
                        }

                        all.Append(result.Result?.ToString()).Append('\n');
                        break;
                }
            }
        }

        var writeFile = options?.Tools?.OfType<AIFunctionDeclaration>().FirstOrDefault(t => t.Name == "write_file");
        if (options?.ResponseFormat is ChatResponseFormatJson format)
        {
            all.Append(format.SchemaName).Append(format.Schema?.GetRawText());
        }

        return new OfflineRequest(PromptSections.Parse(prompts), options?.ResponseFormat as ChatResponseFormatJson, writeFile, hasResults, all.ToString())
        {
            ToolCalls = calls,
            ToolFailures = failures,
            SucceededCalls = succeeded,
        };
    }
}
