using Microsoft.Extensions.Configuration;
using VirtualItCompany;

namespace Quickstart;

/// <summary>A model provider picked on the command line (or in configuration), with its models and address.</summary>
internal sealed record ProviderChoice(string Name)
{
    public static readonly IReadOnlyList<string> Names = ["offline", "ollama", "openai", "anthropic", "groq", "openai-compatible"];

    public List<string> Models { get; init; } = [];

    public Uri? BaseUrl { get; init; }

    /// <summary>The providers to use: the command line's, else VirtualItCompany:Quickstart:Provider (comma-separated), else offline.</summary>
    public static IReadOnlyList<ProviderChoice> Resolve(IReadOnlyList<ProviderChoice> given, IConfiguration configuration, out string? error)
    {
        error = null;
        if (given.Count > 0)
        {
            return given;
        }

        string? configured = configuration["VirtualItCompany:Quickstart:Provider"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return [new ProviderChoice("offline")];
        }

        var names = configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.FirstOrDefault(n => !Names.Contains(n)) is { } unknown)
        {
            error = $"VirtualItCompany:Quickstart:Provider names '{unknown}'; use {string.Join(", ", Names)}.";
            return [];
        }

        return [.. names.Select(n => new ProviderChoice(n))];
    }

    /// <summary>Adds the provider's models to the company.</summary>
    public void AddTo(IVirtualItCompanyBuilder company)
    {
        void Configure(ModelProviderOptions o)
        {
            foreach (string model in Models)
            {
                o.Models.Add(model);
            }

            if (BaseUrl is not null)
            {
                o.Endpoint = BaseUrl;
            }
        }

        _ = Name switch
        {
            "offline" => company.AddOfflineModel(),
            "ollama" => company.AddOllama(Configure),
            "openai" => company.AddOpenAI(Configure),
            "anthropic" => company.AddAnthropic(Configure),
            "groq" => company.AddGroq(Configure),
            "openai-compatible" => company.AddOpenAICompatible(BaseUrl!, o =>
            {
                foreach (string model in Models)
                {
                    o.Models.Add(model);
                }
            }),
            _ => throw new InvalidOperationException($"Unknown provider '{Name}'."),
        };
    }

    /// <summary>
    /// For a local server (Ollama, an OpenAI-compatible one), whether it answers at all, so that a run does not start
    /// against nothing: the message says what to start or set. Cloud providers are checked by their keys instead.
    /// </summary>
    public async Task<string?> CheckReachableAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        Uri? probe;
        string fix;
        if (Name == "ollama")
        {
            string host = BaseUrl?.ToString() ?? configuration["VirtualItCompany:Providers:Ollama:Endpoint"] ?? Environment.GetEnvironmentVariable("OLLAMA_HOST") ?? "http://127.0.0.1:11434";
            if (!host.Contains("://", StringComparison.Ordinal))
            {
                host = "http://" + host.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
            }

            var root = new UriBuilder(host);
            if (root.Port == 80 && !host.Contains(":80", StringComparison.Ordinal))
            {
                root.Port = 11434;
            }

            probe = new Uri(root.Uri, "/api/tags");
            fix = $"Start Ollama (ollama serve) and pull a model (ollama pull {Models.FirstOrDefault() ?? "mistral"}), or point OLLAMA_HOST (or --base-url) at where it runs.";
        }
        else if (Name == "openai-compatible")
        {
            probe = new Uri(BaseUrl!.ToString().TrimEnd('/') + "/models");
            fix = "Start the server (vLLM, LM Studio, llama.cpp...) or fix --base-url.";
        }
        else
        {
            return null;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(probe, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"{Name} is not reachable at {probe.GetLeftPart(UriPartial.Authority)} ({ex.GetType().Name}). {fix}";
        }
    }
}
