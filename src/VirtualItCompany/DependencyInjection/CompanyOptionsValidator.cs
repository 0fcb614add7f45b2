using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VirtualItCompany.Runtime;

namespace VirtualItCompany.DependencyInjection;

/// <summary>Validates <see cref="CompanyOptions"/> and the lifecycle against the registered agents, reporting every problem at once.</summary>
internal sealed class CompanyOptionsValidator(IServiceProvider services) : IValidateOptions<CompanyOptions>
{
    public ValidateOptionsResult Validate(string? name, CompanyOptions options)
    {
        var problems = new List<string>(options.GetProblems());
        if (options.Lifecycle is { } lifecycle && problems.Count == 0)
        {
            problems.AddRange(AgentCoverage.Check(lifecycle, new AgentDirectory(services.GetServices<IAgent>())));
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
