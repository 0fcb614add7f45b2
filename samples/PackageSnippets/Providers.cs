using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VirtualItCompany;
using VirtualItCompany.Providers.Anthropic;
using VirtualItCompany.Providers.Ollama;
using VirtualItCompany.Providers.OpenAI;

namespace PackageSnippets;

/// <summary>src/VirtualItCompany.Providers.OpenAI, .Anthropic and .Ollama READMEs: registering each provider's models (no call is made).</summary>
internal static class ProviderSnippets
{
    public static async Task<string> RunOpenAIAsync()
    {
        using var keys = new PlaceholderKeys("OPENAI_API_KEY", "GROQ_API_KEY");
        var services = new ServiceCollection();
        // README:start
        services.AddVirtualItCompany()
            .AddOpenAI()    // GPT-4o mini and GPT-4o, key from OPENAI_API_KEY (or VirtualItCompany:Providers:OpenAI:ApiKey)
            .AddGroq()      // Llama 3.3 70B on Groq, key from GROQ_API_KEY
            .AddOpenAICompatible(new Uri("http://127.0.0.1:1234/v1"), o => o.Models.Add("qwen2.5-coder-7b"), name: "lm-studio");
        // README:end
        await using var provider = services.BuildServiceProvider();
        var ids = provider.GetServices<ModelRegistration>().Select(r => r.Profile.Id).ToList();
        Expect(ids, OpenAIModels.Gpt4oMini.Id, OpenAIModels.Gpt4o.Id, GroqModels.Llama.Id, "lm-studio/qwen2.5-coder-7b");
        return string.Join(", ", ids);
    }

    public static async Task<string> RunAnthropicAsync()
    {
        using var keys = new PlaceholderKeys("ANTHROPIC_API_KEY");
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // README:start
            // appsettings.json, environment (VirtualItCompany__Providers__Anthropic__...) or any configuration source:
            ["VirtualItCompany:Providers:Anthropic:Profiles:claude-haiku-4-5:InputPerMillion"] = "0.80",
            ["VirtualItCompany:Providers:Anthropic:NetworkTimeout"] = "00:02:00",
            // README:end
        }).Build());
        // README:start
        services.AddVirtualItCompany().AddAnthropic();   // Claude Haiku, Sonnet and Opus; key from ANTHROPIC_API_KEY
        // README:end
        await using var provider = services.BuildServiceProvider();
        var profiles = provider.GetServices<ModelRegistration>().Select(r => r.Profile).ToList();
        Expect([.. profiles.Select(p => p.Id)], AnthropicModels.ClaudeHaiku.Id, AnthropicModels.ClaudeSonnet.Id, AnthropicModels.ClaudeOpus.Id);
        if (profiles[0].Pricing.InputPerMillion != 0.80m)
        {
            throw new InvalidOperationException($"The configured price was not applied: {profiles[0].Pricing}.");
        }

        return string.Join(", ", profiles.Select(p => $"{p.Id} ${p.Pricing.InputPerMillion}/M in"));
    }

    public static async Task<string> RunOllamaAsync()
    {
        var services = new ServiceCollection();
        // README:start
        services.AddVirtualItCompany()
            .AddOllama(o => o.Models.Add("llama3.2"));   // at OLLAMA_HOST, else http://127.0.0.1:11434; free and local
        // README:end
        await using var provider = services.BuildServiceProvider();
        var profile = provider.GetServices<ModelRegistration>().Single().Profile;
        if (profile.Id != "ollama/llama3.2" || !profile.IsLocal || profile.Pricing != VirtualItCompany.ModelPricing.Free)
        {
            throw new InvalidOperationException($"Unexpected profile {profile}.");
        }

        return $"{profile.Id} (local, free; shipped: {string.Join(", ", OllamaModels.All.Select(p => p.Id))})";
    }

    private static void Expect(IReadOnlyList<string> ids, params string[] expected)
    {
        if (!ids.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"Registered {string.Join(", ", ids)}; expected {string.Join(", ", expected)}.");
        }
    }

    /// <summary>Sets placeholder keys where none are set, so the registrations resolve (nothing is called), and removes them after.</summary>
    private sealed class PlaceholderKeys : IDisposable
    {
        private readonly List<string> _set = [];

        public PlaceholderKeys(params string[] variables)
        {
            foreach (string variable in variables.Where(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
            {
                Environment.SetEnvironmentVariable(variable, "placeholder-not-a-key");
                _set.Add(variable);
            }
        }

        public void Dispose() => _set.ForEach(v => Environment.SetEnvironmentVariable(v, null));
    }
}
