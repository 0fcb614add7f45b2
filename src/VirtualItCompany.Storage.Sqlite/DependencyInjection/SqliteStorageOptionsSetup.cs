using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>Binds <see cref="SqliteStorageOptions"/> from <c>VirtualItCompany:Storage:Sqlite</c> (with <c>ConnectionStrings:VirtualItCompany</c> as the connection string's fallback) and validates them, listing every problem.</summary>
/// <remarks>The binding is generated code (configuration binding generator): trim- and AOT-safe.</remarks>
internal sealed class SqliteStorageOptionsSetup(IServiceProvider services) : IConfigureOptions<SqliteStorageOptions>, IValidateOptions<SqliteStorageOptions>
{
    public void Configure(SqliteStorageOptions options)
    {
        if (services.GetService(typeof(IConfiguration)) is not IConfiguration configuration)
        {
            return;
        }

        if (configuration.GetSection(SqliteStorageOptions.SectionName) is { } section && section.Exists())
        {
            section.Bind(options);
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString) && configuration.GetConnectionString(SqliteStorageOptions.ConnectionStringName) is { Length: > 0 } connectionString)
        {
            options.ConnectionString = connectionString;
        }
    }

    public ValidateOptionsResult Validate(string? name, SqliteStorageOptions options) =>
        options.GetProblems() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems.Select(p => $"{SqliteStorageOptions.SectionName}: {p}"))
            : ValidateOptionsResult.Success;
}
