using VirtualItCompany.Providers.Tests.Wire;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests;

/// <summary>The Ollama adapter (OllamaSharp's IChatClient) against a local server speaking Ollama's NDJSON /api/chat.</summary>
public sealed class OllamaConformanceTests : ChatProviderConformanceTests
{
    // Ollama has no prompt cache to report, and no content filter to stop an answer.
    protected override bool ReportsCachedInputTokens => false;

    protected override bool CanRefuseContent => false;

    protected override async ValueTask<ProviderUnderTest> CreateAsync() =>
        await WireProvider.StartAsync(new OllamaWire(), "ollama", "mistral", null,
            (builder, endpoint, model, _) => builder.AddOllama(o =>
            {
                o.Endpoint = endpoint;
                o.Models.Add(model);
            }));
}
