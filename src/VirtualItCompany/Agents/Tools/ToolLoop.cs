using Microsoft.Extensions.AI;

namespace VirtualItCompany.Agents.Tools;

/// <summary>
/// Lets a model do a task with tools, bounded: Microsoft.Extensions.AI's function invocation runs the calls (at most
/// <see cref="AgentOptions.MaxToolRounds"/> rounds, at most <see cref="AgentOptions.ToolCallRepairs"/> failing rounds in a row),
/// <see cref="ToolLoopGuard"/> stops a model repeating itself, and an answer that did not do the task is shown back with what is
/// missing up to <see cref="AgentOptions.StructuredAnswerRepairs"/> times. Whatever the model does, the result is an outcome, never an exception.
/// </summary>
internal static class ToolLoop
{
    /// <summary>Runs the conversation.</summary>
    /// <param name="context">The work item's context; its client is used, with function invocation added when it has none.</param>
    /// <param name="options">The bounds.</param>
    /// <param name="system">The system prompt.</param>
    /// <param name="user">The task.</param>
    /// <param name="tools">The tools offered.</param>
    /// <param name="complexity">The call's complexity (1-10) for the router.</param>
    /// <param name="unfinished">Says what is missing once the model has answered (such as "the model wrote no file"), or <see langword="null"/> when the task is done.</param>
    /// <param name="cancellationToken">Cancels the conversation.</param>
    public static async Task<ToolLoopResult> RunAsync(
        AgentContext context, AgentOptions options, string system, string user, IList<AITool> tools, int complexity, Func<string?> unfinished, CancellationToken cancellationToken)
    {
        var guard = new ToolLoopGuard(options.MaxRepeatedToolCalls);
        var chatOptions = ModelCalls.Options(complexity);
        chatOptions.Tools = guard.Guard(tools);
        // Not disposed: it would dispose the work item's client under it.
        var client = context.ChatClient.GetService<FunctionInvokingChatClient>() is null
            ? new AgentFunctionInvokingChatClient(context.ChatClient, options)
            : context.ChatClient;
        List<ChatMessage> messages = [new(ChatRole.System, system), new(ChatRole.User, user)];
        for (int attempt = 0; ; attempt++)
        {
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (LastToolError(ex) is { } error)
            {
                return ToolLoopResult.Stopped(
                    $"the model's tool calls failed {options.ToolCallRepairs + 1} round(s) in a row (at most {options.ToolCallRepairs} repairs); the last: {error.Message}");
            }

            if (guard.StopReason is { } reason)
            {
                return ToolLoopResult.Stopped(reason);
            }

            if (Unanswered(response) is { } call)
            {
                return ToolLoopResult.Stopped($"the model was still calling tools ({call.Name}) after {options.MaxToolRounds} rounds, the most one task may take, so it was stopped");
            }

            string? missing = unfinished();
            if (missing is null)
            {
                return new ToolLoopResult(response.Text.Trim(), null);
            }

            string said = string.IsNullOrWhiteSpace(response.Text) ? "its answer was empty" : $"it said: \"{ModelCalls.Excerpt(response.Text)}\"";
            if (attempt >= options.StructuredAnswerRepairs)
            {
                string tries = attempt == 0 ? "" : $" after {attempt + 1} tries";
                return ToolLoopResult.Stopped($"{missing}{tries} ({said})");
            }

            messages.AddRange(response.Messages);
            messages.Add(new ChatMessage(ChatRole.User, $"The task is not done: {missing}. Do it now by calling the tools offered, then reply with a short summary."));
        }
    }

    private static ToolCallException? LastToolError(Exception ex) => ex switch
    {
        ToolCallException tool => tool,
        AggregateException { InnerExceptions: var inner } when inner.Count > 0 && inner.All(e => e is ToolCallException) => (ToolCallException)inner[^1],
        _ => null,
    };

    /// <summary>Finds a tool call the function invocation left unanswered: it stopped at its round limit.</summary>
    private static FunctionCallContent? Unanswered(ChatResponse response)
    {
        var answered = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        return response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().FirstOrDefault(c => !answered.Contains(c.CallId));
    }
}

/// <summary>How a tool-using conversation ended.</summary>
/// <param name="Summary">The model's closing answer.</param>
/// <param name="Failure">Why it was stopped without finishing the task, or <see langword="null"/> when it finished.</param>
internal sealed record ToolLoopResult(string Summary, string? Failure)
{
    public static ToolLoopResult Stopped(string reason) => new("", reason);
}
