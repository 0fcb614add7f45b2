using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Providers;

/// <summary>
/// Wraps a provider SDK's <see cref="IChatClient"/> so that every failure reaches the router as a
/// <see cref="ModelProviderException"/> (kind, Retry-After, billed or not, a message naming the provider, the model and
/// what to fix, never the key), a content-filter stop is a <see cref="ModelFailureKind.ContentRefused"/> failure, and a
/// stream that ends before the provider finished it is a <see cref="ModelFailureKind.InvalidResponse"/> failure, not a
/// silently short answer.
/// </summary>
internal sealed class ProviderChatClient(IChatClient inner, ProviderInfo info, string model, Func<Exception, ProviderInfo, string, ModelProviderException?>? sdkFailure = null)
    : DelegatingChatClient(inner)
{
    public ProviderInfo Info => info;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        string modelId = options?.ModelId ?? model;
        var call = ProviderCall.Current = new ProviderCall();
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex, call, modelId, cancellationToken) is { } failure)
        {
            throw failure;
        }
        finally
        {
            ProviderCall.Current = null;
        }

        if (response.FinishReason == ChatFinishReason.ContentFilter)
        {
            throw ProviderErrors.ContentRefused(info, modelId);
        }

        if (response.FinishReason == ChatFinishReason.Stop && response.Messages.Any(m => m.Contents.Any(c => c is FunctionCallContent)))
        {
            // Ollama says "stop" after tool calls; the router and the agents expect "tool_calls" for them.
            response.FinishReason = ChatFinishReason.ToolCalls;
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string modelId = options?.ModelId ?? model;
        var call = new ProviderCall();
        IAsyncEnumerator<ChatResponseUpdate> enumerator;
        ProviderCall.Current = call;
        try
        {
            enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (Map(ex, call, modelId, cancellationToken) is { } failure)
        {
            throw failure;
        }

        ChatFinishReason? finish = null;
        bool calledTools = false;
        try
        {
            while (true)
            {
                bool more;
                ProviderCall.Current = call;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (Map(ex, call, modelId, cancellationToken) is { } failure)
                {
                    throw failure;
                }

                if (!more)
                {
                    break;
                }

                var update = enumerator.Current;
                calledTools |= update.Contents.Any(c => c is FunctionCallContent);
                if (update.FinishReason is { } reason)
                {
                    // Ollama says "stop" after tool calls; the router and the agents expect "tool_calls" for them.
                    update.FinishReason = finish = reason == ChatFinishReason.Stop && calledTools ? ChatFinishReason.ToolCalls : reason;
                }

                yield return update;
            }
        }
        finally
        {
            ProviderCall.Current = null;
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }

        if (finish is null)
        {
            // Some SDKs end a cancelled stream quietly: that is the caller's cancellation, not a broken stream.
            cancellationToken.ThrowIfCancellationRequested();
            throw ProviderErrors.Truncated(info, modelId);
        }

        if (finish == ChatFinishReason.ContentFilter)
        {
            throw ProviderErrors.ContentRefused(info, modelId);
        }
    }

    /// <summary>The failure to throw in place of <paramref name="exception"/>, or <see langword="null"/> to let it through (the caller's own cancellation).</summary>
    private ModelProviderException? Map(Exception exception, ProviderCall call, string modelId, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ModelProviderException classified)
            {
                return ProviderErrors.WithModel(classified, modelId, info);
            }
        }

        if (call.Failure is { } noted)
        {
            return ProviderErrors.WithModel(noted, modelId, info);
        }

        if (sdkFailure?.Invoke(exception, info, modelId) is { } mapped)
        {
            return mapped;
        }

        // SDKs wrap transport errors (ClientResultException, AnthropicIOException...): classify the innermost one known.
        var cause = exception;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or JsonException or TimeoutException)
            {
                cause = e;
                break;
            }
        }

        return cause switch
        {
            HttpRequestException http when ProviderErrors.IsConnectionFailure(http) => ProviderErrors.Unreachable(info, modelId, http, "the connection was refused or failed"),
            HttpRequestException { StatusCode: { } status } http => ProviderErrors.FromStatus(info, modelId, (int)status, null, null, null),
            HttpRequestException or IOException => ProviderErrors.InvalidResponse(info, modelId, "a connection that broke before the answer was complete", exception),
            OperationCanceledException or TimeoutException => ProviderErrors.TimedOut(info, modelId, exception),
            JsonException or FormatException => ProviderErrors.InvalidResponse(info, modelId, "an answer that could not be read", exception),
            _ => ProviderErrors.Unknown(info, modelId, exception),
        };
    }
}
