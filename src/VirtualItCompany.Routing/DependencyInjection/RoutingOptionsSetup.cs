using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using VirtualItCompany.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Binds <see cref="RoutingOptions"/> from <c>VirtualItCompany:Routing</c> when the host has configuration, and validates them listing every problem.</summary>
internal sealed class RoutingOptionsSetup(IServiceProvider services) : IConfigureOptions<RoutingOptions>, IValidateOptions<RoutingOptions>
{
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
