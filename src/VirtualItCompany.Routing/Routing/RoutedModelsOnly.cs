using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>
/// The inner client of a pipeline from <see cref="CostAwareRouting.CreateBuilder"/>: a placeholder the router never
/// calls, because it routes among the models it is given. A call reaching it means the pipeline was not ended with
/// <c>UseCostAwareRouting(models)</c>.
/// </summary>
internal sealed class RoutedModelsOnly : IChatClient
{
    public static RoutedModelsOnly Instance { get; } = new();

    private RoutedModelsOnly()
    {
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NotRouted();

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NotRouted();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
        // A shared placeholder: nothing to free.
    }

    private static InvalidOperationException NotRouted() =>
        new("This pipeline from CostAwareRouting.CreateBuilder() has no model: end it with UseCostAwareRouting(models) so the router answers its calls.");
}
