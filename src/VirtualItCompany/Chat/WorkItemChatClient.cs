using Microsoft.Extensions.AI;

namespace VirtualItCompany.Chat;

/// <summary>An agent's view of the company's one chat pipeline: every call carries the work item's <see cref="ModelCallContext"/> in its options, so the router charges the item's project and reports the charges back.</summary>
/// <remarks>It assembles nothing: the pipeline (function invocation, telemetry, the app's middleware, the router) is built once per company.</remarks>
internal sealed class WorkItemChatClient(IChatClient pipeline, ModelCallContext context) : DelegatingChatClient(pipeline)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, context.AttachTo(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, context.AttachTo(options), cancellationToken);

    /// <summary>Does not dispose the pipeline under it: that is shared by every work item.</summary>
    protected override void Dispose(bool disposing)
    {
    }
}
