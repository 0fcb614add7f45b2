using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Agents.Tools;

/// <summary>
/// Watches one tool-using conversation: wraps each tool so that a failed call becomes a <see cref="ToolCallException"/> the model
/// is shown, and stops the conversation (Microsoft.Extensions.AI's <see cref="FunctionInvocationContext.Terminate"/>) when the model
/// makes the same call with the same arguments and gets the same result <see cref="AgentOptions.MaxRepeatedToolCalls"/> times
/// (failed calls are bounded by <see cref="AgentOptions.ToolCallRepairs"/> instead).
/// </summary>
internal sealed class ToolLoopGuard(int maxRepeats)
{
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Gets why the conversation was stopped, or <see langword="null"/> while it was not.</summary>
    public string? StopReason { get; private set; }


    /// <summary>Wraps the tools; tools that are not functions pass as they are.</summary>
    public IList<AITool> Guard(IEnumerable<AITool> tools) =>
        [.. tools.Select(t => t is AIFunction f ? new GuardedFunction(f, this) : t)];

    private void Record(string toolName, string key, FunctionInvocationContext? call)
    {
        lock (_lock)
        {
            int count = _calls[key] = _calls.GetValueOrDefault(key) + 1;
            if (count >= maxRepeats && StopReason is null)
            {
                StopReason = $"the model called {toolName} {count} times with the same arguments and got the same result each time, so it was stopped (at most {maxRepeats} identical calls)";
            }

            if (StopReason is not null && call is not null)
            {
                call.Terminate = true;
            }
        }
    }

    private static string Key(string name, AIFunctionArguments arguments, object? result)
    {
        var key = new StringBuilder(name).Append('\n');
        foreach (var (argument, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            key.Append(argument).Append('=').Append(Text(value)).Append('\n');
        }

        return key.Append("=>").Append(Text(result)).ToString();
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        JsonElement element => element.GetRawText(),
        _ => value.ToString() ?? "",
    };

    private sealed class GuardedFunction(AIFunction inner, ToolLoopGuard guard) : DelegatingAIFunction(inner)
    {
        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            var call = FunctionInvokingChatClient.CurrentContext;
            if (call?.CallContent.Exception is { } unreadable)
            {
                // The provider could not read the call's arguments (cut off, not JSON): nothing is run with what is left.
                // Failed calls are bounded by the failing-round limit (AgentOptions.ToolCallRepairs), not counted as repeats.
                throw new ToolCallException(Name, $"The arguments of {Name} could not be read ({unreadable.Message}); nothing was done. Call it again with one complete JSON object of arguments.", unreadable);
            }

            object? result;
            try
            {
                result = await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new ToolCallException(Name, $"{Name} failed: {ex.Message}", ex);
            }

            guard.Record(Name, Key(Name, arguments, result), call);
            return result;
        }
    }
}
