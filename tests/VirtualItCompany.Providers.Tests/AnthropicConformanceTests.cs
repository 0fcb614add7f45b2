using VirtualItCompany.Providers.Tests.Wire;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests;

/// <summary>The Anthropic adapter (the official Anthropic SDK's IChatClient) against a local server speaking the Messages API and its event stream.</summary>
public sealed class AnthropicConformanceTests : ChatProviderConformanceTests
{
    public const string Key = "sk-ant-api03-test0a1b2c3d4e5f6g7h8i9j0k";

    protected override async ValueTask<ProviderUnderTest> CreateAsync() =>
        await WireProvider.StartAsync(new AnthropicWire(), "anthropic", "claude-haiku-4-5", Key,
            (builder, endpoint, model, key) => builder.AddAnthropic(o =>
            {
                o.ApiKey = key;
                o.Endpoint = endpoint;
                o.Models.Add(model);
            }));
}
