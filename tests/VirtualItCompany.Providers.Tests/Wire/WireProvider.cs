using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests.Wire;

/// <summary>A company builder over a bare service collection: the provider packages' registrations, and nothing else.</summary>
internal sealed class BareBuilder(IServiceCollection services) : IVirtualItCompanyBuilder
{
    public IServiceCollection Services { get; } = services;
}

/// <summary>A provider adapter, registered as an app would (Add{Provider}), pointed at a fake server.</summary>
internal sealed class WireProvider : ProviderUnderTest
{
    private readonly FakeProviderServer _server;
    private readonly ServiceProvider _services;
    private readonly Func<Uri, IChatClient> _createAt;

    private WireProvider(FakeProviderServer server, ServiceProvider services, IChatClient client, string provider, string model, string? key, Func<Uri, IChatClient> createAt)
    {
        _server = server;
        _services = services;
        Client = client;
        Provider = provider;
        Model = model;
        ApiKey = key;
        _createAt = createAt;
    }

    public FakeProviderServer Server => _server;

    public override IChatClient Client { get; }

    public override string Provider { get; }

    public override string Model { get; }

    public override string? ApiKey { get; }

    public override int RequestCount => _server.Requests.Count;

    public override void Enqueue(ProviderScript script) => _server.Enqueue(script);

    public override IChatClient CreateUnreachableClient() => _createAt(new Uri($"http://127.0.0.1:{ClosedPort()}/{_server.Protocol.BasePath}"));

    public static async Task<WireProvider> StartAsync(IWireProtocol protocol, string provider, string model, string? key, Action<IVirtualItCompanyBuilder, Uri, string, string?> add)
    {
        var server = await FakeProviderServer.StartAsync(protocol, TestContext.Current.CancellationToken);
        var (services, client) = Create(add, server.BaseAddress, model, key);
        return new WireProvider(server, services, client, provider, model, key, endpoint => Create(add, endpoint, model, key).Client);
    }

    /// <summary>Registers the provider as an app would and makes the model's client from its registration.</summary>
    public static (ServiceProvider Services, IChatClient Client) Create(Action<IVirtualItCompanyBuilder, Uri, string, string?> add, Uri endpoint, string model, string? key)
    {
        var services = new ServiceCollection();
        add(new BareBuilder(services), endpoint, model, key);
        var provider = services.BuildServiceProvider();
        var registration = provider.GetServices<ModelRegistration>().Single();
        return (provider, registration.CreateClient(provider));
    }

    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }
}
