using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace VirtualItCompany.Agents.Tools;

/// <summary>
/// Microsoft.Extensions.AI's function invocation, with the agents' bounds: a call to a tool that does not exist is answered
/// with the tools that do and counts as a failed call, so <see cref="FunctionInvokingChatClient.MaximumConsecutiveErrorsPerRequest"/>
/// bounds a model that keeps inventing tools as it bounds one that keeps sending wrong arguments.
/// </summary>
internal sealed class AgentFunctionInvokingChatClient : FunctionInvokingChatClient
{
    private static readonly AsyncLocal<IList<AITool>?> OfferedTools = new();

    public AgentFunctionInvokingChatClient(IChatClient innerClient, AgentOptions options, ILoggerFactory? loggerFactory = null, IServiceProvider? services = null)
        : base(innerClient, loggerFactory, services)
    {
        ArgumentNullException.ThrowIfNull(options);
        MaximumIterationsPerRequest = options.MaxToolRounds;
        MaximumConsecutiveErrorsPerRequest = options.ToolCallRepairs;
        // The model is told why a call failed, so it can repair it; the messages are the SDK's own and are redacted below.
        IncludeDetailedErrors = true;
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        OfferedTools.Value = options?.Tools;
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        OfferedTools.Value = options?.Tools;
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    protected override IList<ChatMessage> CreateResponseMessages(ReadOnlySpan<FunctionInvocationResult> results)
    {
        var contents = new List<AIContent>(results.Length);
        var created = base.CreateResponseMessages(results);
        foreach (var message in created)
        {
            foreach (var content in message.Contents)
            {
                contents.Add(content);
            }
        }

        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is FunctionResultContent { Exception: null } result && FindNotFound(results, result.CallId) is { } call)
            {
                var names = (OfferedTools.Value ?? []).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
                var error = new ToolCallException(
                    call.Name,
                    names.Count == 0
                        ? $"There is no tool named \"{call.Name}\" and no tool is offered; answer with text."
                        : $"There is no tool named \"{call.Name}\"; the tools are {string.Join(", ", names)}.");
                contents[i] = new FunctionResultContent(result.CallId, "Error: " + error.Message) { Exception = error };
            }
        }

        return [new ChatMessage(ChatRole.Tool, contents)];
    }

    private static FunctionCallContent? FindNotFound(ReadOnlySpan<FunctionInvocationResult> results, string callId)
    {
        foreach (var result in results)
        {
            if (result.Status == FunctionInvocationStatus.NotFound && result.CallContent.CallId == callId)
            {
                return result.CallContent;
            }
        }

        return null;
    }
}
