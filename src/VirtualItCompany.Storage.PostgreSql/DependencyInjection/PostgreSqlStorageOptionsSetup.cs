using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>Binds <see cref="PostgreSqlStorageOptions"/> from <c>VirtualItCompany:Storage:PostgreSql</c> (with <c>ConnectionStrings:VirtualItCompany</c> as the connection string's fallback) and validates them, listing every problem.</summary>
/// <remarks>The binding is generated code (configuration binding generator): trim- and AOT-safe.</remarks>
internal sealed class PostgreSqlStorageOptionsSetup(IServiceProvider services) : IConfigureOptions<PostgreSqlStorageOptions>, IValidateOptions<PostgreSqlStorageOptions>
{
    public void Configure(PostgreSqlStorageOptions options)
    {
        if (services.GetService(typeof(IConfiguration)) is not IConfiguration configuration)
        {
            return;
        }

        if (configuration.GetSection(PostgreSqlStorageOptions.SectionName) is { } section && section.Exists())
        {
            section.Bind(options);
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString) && configuration.GetConnectionString(PostgreSqlStorageOptions.ConnectionStringName) is { Length: > 0 } connectionString)
        {
            options.ConnectionString = connectionString;
        }
    }

    public ValidateOptionsResult Validate(string? name, PostgreSqlStorageOptions options) =>
        options.GetProblems() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems.Select(p => $"{PostgreSqlStorageOptions.SectionName}: {p}"))
            : ValidateOptionsResult.Success;
}
