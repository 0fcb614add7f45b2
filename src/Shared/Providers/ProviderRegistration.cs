using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Providers;

/// <summary>What a provider package knows of its vendor: names, default address, key variable, shipped profiles.</summary>
/// <param name="Name">The configuration section under <c>VirtualItCompany:Providers</c> and the name in <c>Add{Name}</c>, such as <c>OpenAI</c>.</param>
/// <param name="Provider">The provider id of its profiles, such as <c>openai</c>.</param>
/// <param name="DisplayName">The vendor's name for people.</param>
/// <param name="DefaultEndpoint">The API's base address.</param>
/// <param name="KeyVariable">The environment variable of the key, or <see langword="null"/> for a provider without keys.</param>
/// <param name="KeyRequired">Whether a call needs a key.</param>
/// <param name="EndpointVariable">The environment variable of the address, if the vendor has one (<c>OLLAMA_HOST</c>).</param>
/// <param name="Shipped">The profiles the package ships, by provider model name.</param>
/// <param name="ProfileOfUnknown">Makes the profile of a model the package ships none of, or <see langword="null"/> to require one in <see cref="ModelProviderOptions.Profiles"/>.</param>
internal sealed record ProviderDefinition(
    string Name,
    string Provider,
    string DisplayName,
    Uri DefaultEndpoint,
    string? KeyVariable,
    bool KeyRequired,
    string? EndpointVariable,
    IReadOnlyList<ModelProfile> Shipped,
    Func<string, ModelProfile>? ProfileOfUnknown = null)
{
    public string Section => $"VirtualItCompany:Providers:{Name}";

    public string KeyHint => KeyVariable is null ? $"{Section}:ApiKey" : $"the {KeyVariable} environment variable (or {Section}:ApiKey in configuration)";

    public string EndpointHint => EndpointVariable is null ? $"{Section}:Endpoint" : $"the {EndpointVariable} environment variable (or {Section}:Endpoint in configuration)";
}

/// <summary>A provider resolved from code, configuration and the environment: its options, its HTTP client and how to make each model's chat client.</summary>
internal sealed class ResolvedProvider : IDisposable
{
    private readonly ProviderDefinition _definition;
    private readonly IConfigurationSection? _section;

    public ResolvedProvider(ProviderDefinition definition, ModelProviderOptions options, IConfigurationSection? section, TimeProvider timeProvider)
    {
        _definition = definition;
        _section = section;
        Options = options;
        Endpoint = options.Endpoint ?? definition.DefaultEndpoint;
        Info = new ProviderInfo(definition.Provider, definition.DisplayName, Endpoint, options.ApiKey, definition.KeyHint, definition.EndpointHint, timeProvider);
        Http = new HttpClient(new ProviderHttpHandler(Info)) { Timeout = options.NetworkTimeout };
    }

    public ModelProviderOptions Options { get; }

    public Uri Endpoint { get; }

    public ProviderInfo Info { get; }

    public HttpClient Http { get; }

    /// <summary>The profile of a model: the one given in code, else the shipped one, else the package's default for unknown models; then any value set in configuration.</summary>
    public ModelProfile ProfileOf(string model)
    {
        var profile = Options.Profiles.FirstOrDefault(p => string.Equals(p?.ModelId, model, StringComparison.Ordinal))
            ?? _definition.Shipped.FirstOrDefault(p => string.Equals(p.ModelId, model, StringComparison.Ordinal))
            ?? _definition.ProfileOfUnknown?.Invoke(model)
            ?? throw new OptionsValidationException(_definition.Name, typeof(ModelProviderOptions), [
                $"{_definition.DisplayName} model '{model}' has no shipped profile (known: {string.Join(", ", _definition.Shipped.Select(p => p.ModelId))}), so its price is unknown. Give its profile in Profiles (Add{_definition.Name}(o => o.Profiles.Add(...))) or at least its prices in {_definition.Section}:Profiles:{model}:InputPerMillion and :OutputPerMillion."]);
        return _section is null ? profile : ProfileOverrides.Apply(profile, _section.GetSection("Profiles").GetSection(model), _definition, model);
    }

    public IChatClient Wrap(IChatClient sdkClient, string model, Func<Exception, ProviderInfo, string, ModelProviderException?>? sdkFailure = null) =>
        new ProviderChatClient(sdkClient, Info, model, sdkFailure);

    public void Dispose() => Http.Dispose();

    public static ResolvedProvider Resolve(IServiceProvider services, ProviderDefinition definition, Action<ModelProviderOptions>? configure)
    {
        var options = new ModelProviderOptions();
        var problems = new List<string>();
        if (definition.KeyVariable is { } keyVariable && Environment.GetEnvironmentVariable(keyVariable) is { Length: > 0 } envKey)
        {
            options.ApiKey = envKey;
        }

        if (definition.EndpointVariable is { } endpointVariable && Environment.GetEnvironmentVariable(endpointVariable) is { Length: > 0 } envEndpoint)
        {
            if (ParseEndpoint(envEndpoint, definition.DefaultEndpoint) is { } parsed)
            {
                options.Endpoint = parsed;
            }
            else
            {
                problems.Add($"The {endpointVariable} environment variable ('{envEndpoint}') is not an address such as http://127.0.0.1:{definition.DefaultEndpoint.Port}.");
            }
        }

        var section = services.GetService<IConfiguration>()?.GetSection(definition.Section);
        if (section is not null)
        {
            if (section["ApiKey"] is { Length: > 0 } key)
            {
                options.ApiKey = key;
            }

            if (section["Endpoint"] is { Length: > 0 } endpoint)
            {
                if (ParseEndpoint(endpoint, definition.DefaultEndpoint) is { } parsed)
                {
                    options.Endpoint = parsed;
                }
                else
                {
                    problems.Add($"{definition.Section}:Endpoint ('{endpoint}') is not an absolute http or https address.");
                }
            }

            if (section["NetworkTimeout"] is { Length: > 0 } timeout)
            {
                if (TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out var parsed))
                {
                    options.NetworkTimeout = parsed;
                }
                else
                {
                    problems.Add($"{definition.Section}:NetworkTimeout ('{timeout}') is not a time span such as 00:05:00.");
                }
            }
        }

        configure?.Invoke(options);
        problems.AddRange(options.GetProblems().Select(p => $"{definition.DisplayName}: {p}"));
        if (definition.KeyRequired && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            problems.Add($"{definition.DisplayName} needs an API key: set {definition.KeyHint}, or ApiKey in Add{definition.Name}(o => o.ApiKey = ...).");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(definition.Name, typeof(ModelProviderOptions), problems);
        }

        return new ResolvedProvider(definition, options, section, services.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    /// <summary>Reads an address, adding http:// and the default port to a bare host (OLLAMA_HOST=0.0.0.0 or 127.0.0.1:11434), reading 0.0.0.0 as this machine.</summary>
    public static Uri? ParseEndpoint(string value, Uri defaultEndpoint)
    {
        string text = value.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var builder = new UriBuilder(uri);
        if (builder.Host == "0.0.0.0")
        {
            builder.Host = "127.0.0.1";
        }

        if (!value.Contains("://", StringComparison.Ordinal) && uri.IsDefaultPort)
        {
            builder.Port = defaultEndpoint.Port;
        }

        if (builder.Path is "" or "/")
        {
            builder.Path = defaultEndpoint.AbsolutePath;
        }

        return builder.Uri;
    }

    /// <summary>Registers each model of a provider: they share one resolved provider (options, HTTP client), made when the company's models are first needed.</summary>
    public static IVirtualItCompanyBuilder Register(IVirtualItCompanyBuilder builder, ProviderDefinition definition, Action<ModelProviderOptions>? configure, Func<ResolvedProvider, string, IChatClient> createClient)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var declared = new ModelProviderOptions();
        configure?.Invoke(declared);
        var models = declared.Models.Count > 0 ? declared.Models.Distinct(StringComparer.Ordinal).ToList() : [.. definition.Shipped.Select(p => p.ModelId)];
        if (models.Count == 0 || models.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Add{definition.Name} needs the names of the models to use (Models), such as Add{definition.Name}(o => o.Models.Add(\"model-name\")).", nameof(configure));
        }

        object key = new ProviderKey(definition.Name);
        builder.Services.AddKeyedSingleton(key, (sp, _) => Resolve(sp, definition, configure));
        foreach (string model in models)
        {
            builder.Services.AddSingleton(sp =>
            {
                var provider = sp.GetRequiredKeyedService<ResolvedProvider>(key);
                return new ModelRegistration(provider.ProfileOf(model), _ => createClient(provider, model));
            });
        }

        return builder;
    }

    /// <summary>One registration's key: each <c>Add{Name}</c> call resolves its own options.</summary>
    private sealed record ProviderKey(string Name)
    {
        public Guid Id { get; } = Guid.NewGuid();
    }
}

/// <summary>Applies the profile values set in configuration (<c>Profiles:&lt;model&gt;:&lt;property&gt;</c>) over a shipped profile.</summary>
internal static class ProfileOverrides
{
    public static ModelProfile Apply(ModelProfile profile, IConfigurationSection section, ProviderDefinition definition, string model)
    {
        if (!section.Exists())
        {
            return profile;
        }

        string where = $"{definition.Section}:Profiles:{model}";
        var pricing = profile.Pricing;
        pricing = new ModelPricing(
            Dec(section, "InputPerMillion", where) ?? pricing.InputPerMillion,
            Dec(section, "OutputPerMillion", where) ?? pricing.OutputPerMillion,
            Dec(section, "CachedInputPerMillion", where) ?? pricing.CachedInputPerMillion);
        var result = profile with
        {
            Id = section["Id"] is { Length: > 0 } id ? id : profile.Id,
            Pricing = pricing,
            ContextWindow = Int(section, "ContextWindow", where) ?? profile.ContextWindow,
            MaxOutputTokens = Int(section, "MaxOutputTokens", where) ?? profile.MaxOutputTokens,
            QualityTier = Int(section, "QualityTier", where) ?? profile.QualityTier,
            Capabilities = section["Capabilities"] is { Length: > 0 } c
                ? Enum.TryParse<ModelCapabilities>(c, ignoreCase: true, out var caps) ? caps : throw Invalid(where, "Capabilities", c, "a list such as 'Tools, JsonSchema'")
                : profile.Capabilities,
            TypicalLatency = section["TypicalLatency"] is { Length: > 0 } l
                ? TimeSpan.TryParse(l, CultureInfo.InvariantCulture, out var latency) ? latency : throw Invalid(where, "TypicalLatency", l, "a time span such as 00:00:02")
                : profile.TypicalLatency,
            IsLocal = section["IsLocal"] is { Length: > 0 } local
                ? bool.TryParse(local, out var isLocal) ? isLocal : throw Invalid(where, "IsLocal", local, "true or false")
                : profile.IsLocal,
        };
        if (result.GetProblems() is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(definition.Name, typeof(ModelProviderOptions), problems.Select(p => $"{where}: {p}"));
        }

        return result;
    }

    private static decimal? Dec(IConfigurationSection section, string name, string where) =>
        section[name] is { Length: > 0 } v ? decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : throw Invalid(where, name, v, "a number of US dollars per million tokens") : null;

    private static int? Int(IConfigurationSection section, string name, string where) =>
        section[name] is { Length: > 0 } v ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Invalid(where, name, v, "a whole number") : null;

    private static OptionsValidationException Invalid(string where, string name, string value, string expected) =>
        new(where, typeof(ModelProviderOptions), [$"{where}:{name} is '{value}'; it must be {expected}."]);
}
