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
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The bound types' members are kept by the DynamicDependency attributes above.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The bound graph has no value-type collections or generic instantiations made at run time.")]
    public void Configure(RoutingOptions options)
    {
        if (services.GetService(typeof(IConfiguration)) is IConfiguration configuration)
        {
            configuration.GetSection(RoutingOptions.SectionName).Bind(options);
        }
    }

    public ValidateOptionsResult Validate(string? name, RoutingOptions options) =>
        options.GetProblems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
