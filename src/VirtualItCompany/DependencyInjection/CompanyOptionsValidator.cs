using Microsoft.Extensions.Options;
using VirtualItCompany.Runtime;

namespace VirtualItCompany.DependencyInjection;

/// <summary>Validates <see cref="CompanyOptions"/>, reporting every problem at once.</summary>
internal sealed class CompanyOptionsValidator : IValidateOptions<CompanyOptions>
{
    public ValidateOptionsResult Validate(string? name, CompanyOptions options)
    {
        var problems = options.GetProblems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
