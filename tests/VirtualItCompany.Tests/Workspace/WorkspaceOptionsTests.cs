using Microsoft.Extensions.Options;
using VirtualItCompany.Workspace;

namespace VirtualItCompany.Tests.Workspace;

public sealed class WorkspaceOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_allow_only_dotnet_and_git()
    {
        var options = new WorkspaceOptions();

        Assert.Empty(options.GetProblems());
        Assert.Equal(["dotnet", "git"], options.AllowedCommands);
        Assert.Equal(TimeSpan.FromMinutes(5), options.DefaultCommandTimeout);
        Assert.Equal(64 * 1024, options.MaxOutputChars);
        Assert.Equal(TimeSpan.FromSeconds(60), options.DeploymentStartTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HealthCheckTimeout);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "virtual-it-company", "workspaces"), options.RootDirectory);
        Assert.DoesNotContain(options.PassThroughEnvironment, n => n.Contains("KEY", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new WorkspaceOptions { RootDirectory = " ", MaxOutputChars = 0, HealthCheckTimeout = TimeSpan.Zero, GitAuthorEmail = "nobody" };
        options.AllowedCommands.Add("/bin/sh");

        var ex = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(5, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("RootDirectory", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AllowedCommands", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("MaxOutputChars", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("HealthCheckTimeout", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("GitAuthorEmail", StringComparison.Ordinal));
    }

    [Fact]
    public void The_provider_refuses_invalid_options()
    {
        var options = new WorkspaceOptions { MaxOutputChars = -1 };

        Assert.Throws<OptionsValidationException>(() => new LocalWorkspaceProvider(Options.Create(options), TimeProvider.System));
    }
}
