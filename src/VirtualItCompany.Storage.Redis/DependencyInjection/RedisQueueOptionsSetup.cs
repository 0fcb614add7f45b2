using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Storage.Redis;

/// <summary>Binds <see cref="RedisQueueOptions"/> from <c>VirtualItCompany:Storage:Redis</c> and validates them, listing every problem.</summary>
internal sealed class RedisQueueOptionsSetup(IServiceProvider services) : IConfigureOptions<RedisQueueOptions>, IValidateOptions<RedisQueueOptions>
{
    public void Configure(RedisQueueOptions options)
    {
        if (services.GetService(typeof(IConfiguration)) is IConfiguration configuration && configuration.GetSection(RedisQueueOptions.SectionName) is { } section && section.Exists())
        {
            section.Bind(options);
        }
    }

    public ValidateOptionsResult Validate(string? name, RedisQueueOptions options) =>
        options.GetProblems() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems.Select(p => $"{RedisQueueOptions.SectionName}: {p}"))
            : ValidateOptionsResult.Success;
}
