using Microsoft.Extensions.AI;

namespace VirtualItCompany.Testing.Conformance;

/// <summary>
/// A provider adapter under test: its chat client (made by the adapter, through its real client library) talking to a
/// local server that speaks the provider's wire protocol and answers each call with the next <see cref="ProviderScript"/>.
/// </summary>
public abstract class ProviderUnderTest : IAsyncDisposable
{
    /// <summary>Gets the adapter's chat client for <see cref="Model"/>, pointed at the local server.</summary>
    public abstract IChatClient Client { get; }

    /// <summary>Gets the provider id the adapter reports in its failures, such as <c>openai</c>.</summary>
    public abstract string Provider { get; }

    /// <summary>Gets the model name the client calls.</summary>
    public abstract string Model { get; }

    /// <summary>Gets the key the client was given, which must appear in no message; <see langword="null"/> for a provider without keys.</summary>
    public abstract string? ApiKey { get; }

    /// <summary>Gets how many calls reached the server.</summary>
    public abstract int RequestCount { get; }

    /// <summary>Queues what the server answers to the next call.</summary>
    /// <param name="script">The answer or failure.</param>
    public abstract void Enqueue(ProviderScript script);

    /// <summary>Creates a client of the adapter for <see cref="Model"/> pointed at an address where nothing listens.</summary>
    /// <returns>The client.</returns>
    public abstract IChatClient CreateUnreachableClient();

    /// <summary>Stops the server and disposes the client.</summary>
    /// <returns>A task.</returns>
    public virtual ValueTask DisposeAsync()
    {
        Client.Dispose();
        GC.SuppressFinalize(this);
        return default;
    }
}
