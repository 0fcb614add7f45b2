using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using VirtualItCompany;
using VirtualItCompany.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Binds <see cref="RoutingOptions"/> from <c>VirtualItCompany:Routing</c> when the host has configuration, and validates them listing every problem.</summary>
internal sealed class RoutingOptionsSetup(IServiceProvider services) : IConfigureOptions<RoutingOptions>, IValidateOptions<RoutingOptions>
{
    // The configuration binding generator cannot bind ModelProfile (its required members, CS9035 in the generated code),
    // so the reflection binder runs; the members it binds are kept from trimming here, and the graph holds only reference
    // types, strings, numbers, TimeSpans and enums, which need no code generated at run time.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicConstructors, typeof(RoutingOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicConstructors, typeof(ModelProfile))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicConstructors, typeof(ModelPricing))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicConstructors, typeof(RoutingPolicy))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicConstructors, typeof(RoutingBand))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicConstructors, typeof(ModelResilienceOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicConstructors, typeof(OutcomeFeedbackOptions))]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The bound types' members are kept by the DynamicDependency attributes above.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The bound graph has no value-type collections or generic instantiations made at run time.")]
    public void Configure(RoutingOptions options)
    {
        if (services.GetService(typeof(IConfiguration)) is IConfiguration configuration)
        {
            var section = configuration.GetSection(RoutingOptions.SectionName);
            int models = options.Models.Count;
            var policy = options.Policy;
            int bands = policy.Bands.Count;
            section.Bind(options);

            // The lists are read here, not by the reflection binder: under native AOT it leaves lists of these types
            // unbound without a word. What the binder may have added (it does when code can be generated) is replaced.
            Truncate(options.Models, models);
            if (!ReferenceEquals(options.Policy, policy))
            {
                options.Policy = policy;
            }

            Truncate(policy.Bands, bands);
            foreach (var model in section.GetSection(nameof(RoutingOptions.Models)).GetChildren())
            {
                options.Models.Add(ReadProfile(model));
            }

            foreach (var band in section.GetSection(nameof(RoutingOptions.Policy)).GetSection(nameof(RoutingPolicy.Bands)).GetChildren())
            {
                policy.Bands.Add(ReadBand(band));
            }
        }
    }

    private static void Truncate<T>(IList<T> list, int count)
    {
        while (list.Count > count)
        {
            list.RemoveAt(list.Count - 1);
        }
    }

    private static ModelProfile ReadProfile(IConfigurationSection section)
    {
        var defaults = new ModelProfile { Id = "", Provider = "", ModelId = "", Pricing = ModelPricing.Free };
        var pricing = section.GetSection(nameof(ModelProfile.Pricing));
        return new ModelProfile
        {
            Id = section[nameof(ModelProfile.Id)] ?? "",
            Provider = section[nameof(ModelProfile.Provider)] ?? "",
            ModelId = section[nameof(ModelProfile.ModelId)] ?? "",
            Pricing = pricing.Exists()
                ? new ModelPricing(Read(pricing, nameof(ModelPricing.InputPerMillion), 0m, decimal.TryParse), Read(pricing, nameof(ModelPricing.OutputPerMillion), 0m, decimal.TryParse), pricing[nameof(ModelPricing.CachedInputPerMillion)] is null ? null : Read(pricing, nameof(ModelPricing.CachedInputPerMillion), 0m, decimal.TryParse))
                : null!, // reported by validation: "has no Pricing"
            ContextWindow = Read(section, nameof(ModelProfile.ContextWindow), defaults.ContextWindow, int.TryParse),
            MaxOutputTokens = Read(section, nameof(ModelProfile.MaxOutputTokens), defaults.MaxOutputTokens, int.TryParse),
            Capabilities = section[nameof(ModelProfile.Capabilities)] is { } capabilities
                ? Enum.TryParse<ModelCapabilities>(capabilities, ignoreCase: true, out var parsed) ? parsed : throw Invalid(section, nameof(ModelProfile.Capabilities), capabilities)
                : defaults.Capabilities,
            QualityTier = Read(section, nameof(ModelProfile.QualityTier), defaults.QualityTier, int.TryParse),
            TypicalLatency = Read(section, nameof(ModelProfile.TypicalLatency), defaults.TypicalLatency, TimeSpan.TryParse),
            IsLocal = Read(section, nameof(ModelProfile.IsLocal), defaults.IsLocal, static (string? s, IFormatProvider? _, out bool v) => bool.TryParse(s, out v)),
        };
    }

    private static RoutingBand ReadBand(IConfigurationSection section)
    {
        var band = new RoutingBand
        {
            MinComplexity = Read(section, nameof(RoutingBand.MinComplexity), 1, int.TryParse),
            MaxComplexity = Read(section, nameof(RoutingBand.MaxComplexity), 10, int.TryParse),
            Order = section[nameof(RoutingBand.Order)] is { } order
                ? Enum.TryParse<BandOrder>(order, ignoreCase: true, out var parsed) ? parsed : throw Invalid(section, nameof(RoutingBand.Order), order)
                : BandOrder.Preference,
        };
        foreach (var model in section.GetSection(nameof(RoutingBand.Models)).GetChildren())
        {
            if (model.Value is { } id)
            {
                band.Models.Add(id);
            }
        }

        return band;
    }

    private delegate bool TryParse<T>(string? text, IFormatProvider? provider, out T value);

    private static T Read<T>(IConfigurationSection section, string key, T fallback, TryParse<T> parse) =>
        section[key] is not { } text ? fallback
        : parse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(section, key, text);

    private static InvalidOperationException Invalid(IConfigurationSection section, string key, string text) =>
        new($"Failed to convert configuration value '{text}' at '{section.Path}:{key}' to the type of {key}.");

    public ValidateOptionsResult Validate(string? name, RoutingOptions options) =>
        options.GetProblems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
