using System.Text.RegularExpressions;
using Npgsql;

namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>Which PostgreSQL database and schema hold the company, and how transient faults are retried; bound from <c>VirtualItCompany:Storage:PostgreSql</c>.</summary>
public sealed partial class PostgreSqlStorageOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "VirtualItCompany:Storage:PostgreSql";

    /// <summary>The name of the connection string used when <see cref="ConnectionString"/> is not set: <c>ConnectionStrings:VirtualItCompany</c>.</summary>
    public const string ConnectionStringName = "VirtualItCompany";

    /// <summary>The default <see cref="Schema"/>.</summary>
    public const string DefaultSchema = "virtualitcompany";

    /// <summary>The most <see cref="MaxRetryAttempts"/> accepted.</summary>
    public const int MaxRetryAttemptsLimit = 100;

    /// <summary>The longest <see cref="MaxRetryDelay"/> accepted.</summary>
    public static readonly TimeSpan MaxRetryDelayLimit = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the Npgsql connection string, such as <c>Host=db;Port=5432;Database=company;Username=app;Password=...</c>.</summary>
    /// <value>The default value is <see langword="null"/>: then <c>ConnectionStrings:VirtualItCompany</c> from configuration is used.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the schema that holds the company's tables; created (with its tables) when missing. Several companies can share a database in schemas of their own.</summary>
    /// <value>The default value is <c>virtualitcompany</c>.</value>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>Gets or sets how many times an operation that failed on a transient fault (the server restarting or unreachable, a dropped connection, a deadlock) is tried again before its error is thrown.</summary>
    /// <value>The default value is 10.</value>
    public int MaxRetryAttempts { get; set; } = 10;

    /// <summary>Gets or sets the delay before the first retry; each next one doubles it (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the longest delay between two retries.</summary>
    /// <value>The default value is 5 seconds (with the defaults, about 30 seconds of retries in all: a server restart).</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lists what is wrong with the options, every problem at once (empty when they are usable).</summary>
    /// <returns>The problems, each a sentence that says what to do.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add($"ConnectionString is not set. Set {SectionName}:ConnectionString (or ConnectionStrings:{ConnectionStringName}) to an Npgsql connection string, such as \"Host=localhost;Port=5432;Database=company;Username=app;Password=...\", or pass it to UsePostgreSqlStorage(\"Host=...\").");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    problems.Add($"ConnectionString names no server: add \"Host=<name or address>\" (and \"Port=5432\" unless the default).");
                }

                if (string.IsNullOrWhiteSpace(builder.Database))
                {
                    problems.Add($"ConnectionString names no database: add \"Database=<name>\" (create it first with createdb <name>).");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
            {
                problems.Add($"ConnectionString is not a valid Npgsql connection string ({ex.Message}); write it as \"Host=localhost;Port=5432;Database=company;Username=app;Password=...\".");
            }
        }

        if (string.IsNullOrEmpty(Schema) || !SchemaName().IsMatch(Schema))
        {
            problems.Add($"Schema is \"{Schema}\"; it must be a plain lower-case name of 1 to 40 letters, digits and underscores starting with a letter or underscore (the default is \"{DefaultSchema}\").");
        }

        if (MaxRetryAttempts < 0 || MaxRetryAttempts > MaxRetryAttemptsLimit)
        {
            problems.Add($"MaxRetryAttempts is {MaxRetryAttempts}; it must be between 0 (no retry) and {MaxRetryAttemptsLimit} (the default is 10).");
        }

        if (RetryDelay <= TimeSpan.Zero || RetryDelay > MaxRetryDelayLimit)
        {
            problems.Add($"RetryDelay is {RetryDelay}; it must be more than 00:00:00 and at most {MaxRetryDelayLimit} (the default is 00:00:00.1).");
        }

        if (MaxRetryDelay < RetryDelay || MaxRetryDelay > MaxRetryDelayLimit)
        {
            problems.Add($"MaxRetryDelay is {MaxRetryDelay}; it must be at least RetryDelay ({RetryDelay}) and at most {MaxRetryDelayLimit} (the default is 00:00:05).");
        }

        return problems;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
