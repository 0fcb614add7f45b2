using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using VirtualItCompany.Agents.Tools;
using VirtualItCompany.Chat;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Agents;

/// <summary>The three ways the built-in agents call the model: structured output, plain text, and work with the file tools.</summary>
internal static class ModelCalls
{
    /// <summary>Gets chat options tagged with the call's complexity (1-10), so a router can choose the model.</summary>
    public static ChatOptions Options(int complexity) => new()
    {
        AdditionalProperties = new AdditionalPropertiesDictionary { [AgentChatTags.Complexity] = complexity },
    };

    /// <summary>
    /// Asks for structured output. The answer's one JSON value is read tolerantly (<see cref="JsonAnswer"/>: fences, chatty text,
    /// trailing commas) and must have every property of <typeparamref name="T"/>; an answer that does not is shown to the model
    /// with what is wrong, up to <paramref name="repairs"/> times. Then it comes back as a problem, not an exception.
    /// </summary>
    /// <remarks>Every try is a call of its own through the context's client: routed, budgeted and journaled like any other.</remarks>
    public static async Task<ModelAnswer<T>> AskAsync<T>(AgentContext context, string system, string user, int complexity, int repairs, CancellationToken cancellationToken)
        where T : class
    {
        var messages = Messages(system, user);
        var typeInfo = (JsonTypeInfo<T>)AgentJsonContext.AnswerOptions.GetTypeInfo(typeof(T));
        var expected = typeInfo.Kind == JsonTypeInfoKind.Enumerable ? JsonValueKind.Array : JsonValueKind.Object;
        for (int attempt = 0; ; attempt++)
        {
            var response = await context.ChatClient.GetResponseAsync<T>(messages, AgentJsonContext.ModelOptions, Options(complexity), cancellationToken: cancellationToken).ConfigureAwait(false);
            string problem = Read(response.Text, expected, typeInfo, out var value);
            if (value is not null)
            {
                return new ModelAnswer<T>(value, null);
            }

            if (attempt >= repairs)
            {
                string tries = attempt == 0 ? "" : $" after {attempt + 1} tries";
                return new ModelAnswer<T>(null, $"The model's answer is not a valid {typeof(T).Name} (JSON){tries}: {problem}. Its last answer: \"{Excerpt(response.Text)}\".");
            }

            messages.Add(new ChatMessage(ChatRole.Assistant, response.Text));
            messages.Add(new ChatMessage(ChatRole.User, $"That answer could not be used: {problem}. Answer again with only the JSON value the schema describes, with every property it requires and no other, and nothing before or after it."));
        }
    }

    /// <summary>Reads a structured answer; returns why it cannot be used when <paramref name="value"/> is <see langword="null"/>.</summary>
    internal static string Read<T>(string text, JsonValueKind expected, JsonTypeInfo<T> typeInfo, out T? value)
        where T : class
    {
        value = null;
        if (!JsonAnswer.TryRead(text, expected, out string json, out string problem))
        {
            return problem;
        }

        try
        {
            value = JsonSerializer.Deserialize(json, typeInfo);
            return value is null ? "the answer is null" : "";
        }
        catch (JsonException e)
        {
            // The serializer names the missing or mistyped property; its message has no secret, only the type's shape.
            return "the JSON does not fit the schema (" + e.Message.TrimEnd('.') + ")";
        }
    }

    /// <summary>Asks for plain text.</summary>
    public static async Task<string> AskTextAsync(AgentContext context, string system, string user, int complexity, CancellationToken cancellationToken)
    {
        var response = await context.ChatClient.GetResponseAsync(Messages(system, user), Options(complexity), cancellationToken).ConfigureAwait(false);
        return response.Text.Trim();
    }

    /// <summary>Lets the model work with the workspace's file tools (and any further tools) in a bounded tool loop (<see cref="ToolLoop"/>).</summary>
    /// <param name="context">The work item's context.</param>
    /// <param name="options">The agents' options: the loop's bounds.</param>
    /// <param name="system">The system prompt.</param>
    /// <param name="user">The task.</param>
    /// <param name="complexity">The call's complexity (1-10).</param>
    /// <param name="requireFiles">Whether an answer that wrote no file is shown back as unfinished.</param>
    /// <param name="moreTools">Tools offered beside the file tools.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The paths written (distinct, sorted), and how the conversation ended.</returns>
    public static async Task<(IReadOnlyList<string> Written, ToolLoopResult Result)> WorkWithFilesAsync(
        AgentContext context, AgentOptions options, string system, string user, int complexity, bool requireFiles, IEnumerable<AITool>? moreTools, CancellationToken cancellationToken)
    {
        // Tools may be invoked concurrently.
        var written = new ConcurrentQueue<string>();
        IList<AITool> tools = [.. context.Workspace.CreateFileTools(written.Enqueue), .. moreTools ?? []];
        var result = await ToolLoop.RunAsync(
            context, options, system, user, tools, complexity,
            () => requireFiles && written.IsEmpty ? "the model wrote no file (call write_file with the complete content of each file)" : null,
            cancellationToken).ConfigureAwait(false);
        return ([.. written.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], result);
    }

    /// <summary>Gets the start of a text for an error message.</summary>
    public static string Excerpt(string text, int max = 200)
    {
        string oneLine = PromptDocument.OneLine(text);
        return oneLine.Length <= max ? oneLine : oneLine[..max] + "...";
    }

    private static List<ChatMessage> Messages(string system, string user) => [new(ChatRole.System, system), new(ChatRole.User, user)];
}

/// <summary>A structured answer, or why the model's answer could not be used.</summary>
/// <param name="Value">The answer, when valid JSON of the type.</param>
/// <param name="Problem">Why not, otherwise.</param>
internal sealed record ModelAnswer<T>(T? Value, string? Problem)
    where T : class;
