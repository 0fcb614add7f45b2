using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany.Agents;
using VirtualItCompany.Runtime;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.Runtime;

/// <summary>Every options class binds from its <c>VirtualItCompany:*</c> section and is validated at start, every problem listed.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void Company_workspace_agent_and_routing_options_bind_from_configuration()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Workers"] = "7",
            ["VirtualItCompany:Workspace:RootDirectory"] = Path.Combine(Path.GetTempPath(), "vic-config-test"),
            ["VirtualItCompany:Workspace:MaxOutputChars"] = "1234",
            ["VirtualItCompany:Agents:MonitoringChecks"] = "5",
            ["VirtualItCompany:Agents:TestTimeout"] = "00:02:00",
            ["VirtualItCompany:Routing:GlobalBudget"] = "42",
        });

        Assert.Equal(7, provider.GetRequiredService<IOptions<CompanyOptions>>().Value.Workers);
        var workspace = provider.GetRequiredService<IOptions<WorkspaceOptions>>().Value;
        Assert.Equal(Path.Combine(Path.GetTempPath(), "vic-config-test"), workspace.RootDirectory);
        Assert.Equal(1234, workspace.MaxOutputChars);
        var agents = provider.GetRequiredService<IOptions<AgentOptions>>().Value;
        Assert.Equal(5, agents.MonitoringChecks);
        Assert.Equal(TimeSpan.FromMinutes(2), agents.TestTimeout);
        Assert.Equal(42m, provider.GetRequiredService<IOptions<VirtualItCompany.Routing.RoutingOptions>>().Value.GlobalBudget);
    }

    [Fact]
    public void Invalid_configuration_lists_every_problem_with_its_section()
    {
        string file = Path.GetTempFileName();
        using var provider = Build(new Dictionary<string, string?>
        {
            ["VirtualItCompany:Workspace:RootDirectory"] = Path.Combine(file, "below-a-file"),
            ["VirtualItCompany:Workspace:MaxOutputChars"] = "0",
            ["VirtualItCompany:Agents:MonitoringChecks"] = "0",
        });

        var workspace = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WorkspaceOptions>>().Value);
        Assert.Contains(workspace.Failures, f => f.StartsWith("VirtualItCompany:Workspace: MaxOutputChars is 0", StringComparison.Ordinal));
        Assert.Contains(workspace.Failures, f => f.Contains("cannot hold workspaces", StringComparison.Ordinal));
        var agents = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AgentOptions>>().Value);
        Assert.Contains(agents.Failures, f => f.StartsWith("VirtualItCompany:Agents: MonitoringChecks", StringComparison.Ordinal));
        File.Delete(file);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddVirtualItCompany();
        return services.BuildServiceProvider();
    }
}
