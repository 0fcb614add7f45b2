using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany.Agents;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.DependencyInjection;

/// <summary>Binds an options class from its <c>VirtualItCompany:*</c> configuration section (when the host has configuration) and validates it, listing every problem.</summary>
/// <remarks>The binding is passed in, written for the concrete type, so the configuration binding generator makes it trim- and AOT-safe.</remarks>
internal sealed class ConfiguredOptions<TOptions>(IServiceProvider services, string section, Action<IConfigurationSection, TOptions> bind, Func<TOptions, IEnumerable<string>> problems) : IConfigureOptions<TOptions>, IValidateOptions<TOptions>
    where TOptions : class
{
    public void Configure(TOptions options)
    {
        if (services.GetService<IConfiguration>()?.GetSection(section) is { } configured && configured.Exists())
        {
            bind(configured, options);
        }
    }

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var found = problems(options).ToList();
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found.Select(p => $"{section}: {p}"));
    }
}

/// <summary>The configured options of the runtime's components.</summary>
internal static class ConfiguredOptions
{
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<WorkspaceOptions>().ValidateOnStart();
        services.AddOptions<AgentOptions>().ValidateOnStart();
        services.AddSingleton<ConfiguredOptions<WorkspaceOptions>>(sp => new(sp, WorkspaceOptions.SectionName, static (c, o) => c.Bind(o), o => o.ProbeRootDirectory() is { } unusable ? [.. o.GetProblems(), unusable] : o.GetProblems()));
        services.AddSingleton<IConfigureOptions<WorkspaceOptions>>(sp => sp.GetRequiredService<ConfiguredOptions<WorkspaceOptions>>());
        services.AddSingleton<IValidateOptions<WorkspaceOptions>>(sp => sp.GetRequiredService<ConfiguredOptions<WorkspaceOptions>>());
        services.AddSingleton<ConfiguredOptions<AgentOptions>>(sp => new(sp, AgentOptions.SectionName, static (c, o) => c.Bind(o), o => o.GetProblems()));
        services.AddSingleton<IConfigureOptions<AgentOptions>>(sp => sp.GetRequiredService<ConfiguredOptions<AgentOptions>>());
        services.AddSingleton<IValidateOptions<AgentOptions>>(sp => sp.GetRequiredService<ConfiguredOptions<AgentOptions>>());
    }
}
