using Microsoft.Data.Sqlite;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>Where the SQLite file is and how it is written; bound from <c>VirtualItCompany:Storage:Sqlite</c>.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "VirtualItCompany:Storage:Sqlite";

    /// <summary>The name of the connection string used when <see cref="ConnectionString"/> is not set: <c>ConnectionStrings:VirtualItCompany</c>.</summary>
    public const string ConnectionStringName = "VirtualItCompany";

    /// <summary>The longest <see cref="BusyTimeout"/> accepted.</summary>
    public static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The largest <see cref="MaxBatchSize"/> accepted.</summary>
    public const int MaxBatchSizeLimit = 10_000;

    /// <summary>Gets or sets the SQLite connection string, such as <c>Data Source=company.db</c>: a file (created with its folder when missing), never <c>:memory:</c>.</summary>
    /// <value>The default value is <see langword="null"/>: then <c>ConnectionStrings:VirtualItCompany</c> from configuration is used.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets how long a write waits for another process's write to finish before failing with <see cref="SqliteStorageException"/>.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how hard each transaction is pushed to the disk (SQLite's <c>PRAGMA synchronous</c>).</summary>
    /// <value>The default value is <see cref="SqliteSynchronous.Full"/>: every commit survives a power loss once its task completes.</value>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>Gets or sets how many writes (commits, leases, settlements) waiting at the same moment share one transaction and one flush to disk (group commit); 1 writes each on its own.</summary>
    /// <value>The default value is 64.</value>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// Gets or sets the page size, in bytes, of a file this store creates (SQLite's <c>PRAGMA page_size</c>): a power of two
    /// from 512 to 65,536. A file that exists keeps the page size it was created with.
    /// </summary>
    /// <value>
    /// The default value is 2,048. Most of the store's writes change a small row on a page of its own (a queue entry, a
    /// budget, a reservation, an index entry), and SQLite moves, logs and flushes whole pages, so half-size pages make each
    /// of those writes cheaper. Measured in the load harness: 18-24% more work items per second than SQLite's default of
    /// 4,096, for a file ~5% larger (<c>benchmarks/results/load-harness-sqlite-page-size.md</c>). Larger pages suit files
    /// that mostly hold large rows read in scans.
    /// </value>
    public int PageSize { get; set; } = 2048;

    /// <summary>Lists what is wrong with the options, every problem at once (empty when they are usable).</summary>
    /// <returns>The problems, each a sentence that says what to do.</returns>
    public IReadOnlyList<string> GetProblems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add($"ConnectionString is not set. Set {SectionName}:ConnectionString (or ConnectionStrings:{ConnectionStringName}) to a file, such as \"Data Source=company.db\", or pass it to UseSqliteStorage(\"Data Source=company.db\").");
        }
        else
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(ConnectionString);
                string source = builder.DataSource.Trim();
                if (source.Length == 0)
                {
                    problems.Add($"ConnectionString \"{ConnectionString}\" names no file; give one with \"Data Source=company.db\".");
                }
                else if (builder.Mode == SqliteOpenMode.Memory || source == ":memory:" || source.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"ConnectionString \"{ConnectionString}\" is an in-memory database, which is neither durable nor shared; give a file (\"Data Source=company.db\"), or use UseInMemoryStorage() for a store that lives in the process.");
                }
                else if (builder.Mode == SqliteOpenMode.ReadOnly || source.Contains("mode=ro", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"ConnectionString \"{ConnectionString}\" opens the file read-only, but the store writes every commit; remove \"Mode=ReadOnly\".");
                }
            }
            catch (ArgumentException ex)
            {
                problems.Add($"ConnectionString \"{ConnectionString}\" is not a valid SQLite connection string ({ex.Message}); write it as \"Data Source=company.db\".");
            }
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > MaxBusyTimeout)
        {
            problems.Add($"BusyTimeout is {BusyTimeout}; it must be between 00:00:00 and {MaxBusyTimeout} (the default is 00:00:05).");
        }

        if (!Enum.IsDefined(Synchronous))
        {
            problems.Add($"Synchronous is {(int)Synchronous}; it must be {nameof(SqliteSynchronous.Full)} or {nameof(SqliteSynchronous.Normal)}.");
        }

        if (MaxBatchSize < 1 || MaxBatchSize > MaxBatchSizeLimit)
        {
            problems.Add($"MaxBatchSize is {MaxBatchSize}; it must be between 1 (no group commit) and {MaxBatchSizeLimit} (the default is 64).");
        }

        if (PageSize < 512 || PageSize > 65_536 || (PageSize & (PageSize - 1)) != 0)
        {
            problems.Add($"PageSize is {PageSize}; it must be a power of two from 512 to 65536 (the default is 2048). It applies to a file the store creates; an existing file keeps its own.");
        }

        return problems;
    }
}
