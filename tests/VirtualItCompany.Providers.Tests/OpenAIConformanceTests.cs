using VirtualItCompany.Providers.Tests.Wire;
using VirtualItCompany.Testing.Conformance;

namespace VirtualItCompany.Providers.Tests;

/// <summary>The OpenAI adapter (Microsoft.Extensions.AI.OpenAI over the OpenAI SDK) against a local server speaking OpenAI's chat completions protocol.</summary>
public sealed class OpenAIConformanceTests : ChatProviderConformanceTests
{
    protected override async ValueTask<ProviderUnderTest> CreateAsync() =>
        await WireProvider.StartAsync(new OpenAIWire(), "openai", "gpt-4o-mini", Wire.Wire.TestKey,
            (builder, endpoint, model, key) => builder.AddOpenAI(o =>
            {
                o.ApiKey = key;
                o.Endpoint = endpoint;
                o.Models.Add(model);
            }));
}

/// <summary>The Groq registration (OpenAI's protocol at Groq's address) against the same protocol.</summary>
public sealed class GroqConformanceTests : ChatProviderConformanceTests
{
    protected override async ValueTask<ProviderUnderTest> CreateAsync() =>
        await WireProvider.StartAsync(new OpenAIWire(), "groq", "llama-3.3-70b-versatile", "gsk_test0a1b2c3d4e5f6g7h8i9j",
            (builder, endpoint, model, key) => builder.AddGroq(o =>
            {
                o.ApiKey = key;
                o.Endpoint = endpoint;
            }));
}

/// <summary>An OpenAI-compatible server (vLLM, LM Studio...) without a key.</summary>
public sealed class OpenAICompatibleConformanceTests : ChatProviderConformanceTests
{
    protected override async ValueTask<ProviderUnderTest> CreateAsync() =>
        await WireProvider.StartAsync(new OpenAIWire(), "local-vllm", "qwen2.5-coder", null,
            (builder, endpoint, model, _) => builder.AddOpenAICompatible(endpoint, o => o.Models.Add(model), "local-vllm"));
}
