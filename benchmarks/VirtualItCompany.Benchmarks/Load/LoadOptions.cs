using System.Globalization;

namespace VirtualItCompany.Benchmarks.Load;

/// <summary>Options of the <c>load</c> verb, parsed from the command line.</summary>
internal sealed class LoadOptions
{
    public IReadOnlyList<int> InFlight { get; private set; } = [1, 64];

    public IReadOnlyList<int> Workers { get; private set; } = [.. new[] { 1, 2, 4, 8, Environment.ProcessorCount }.Distinct().Order()];

    public double Seconds { get; private set; } = 5;

    public double WarmupSeconds { get; private set; } = 2;

    public int Features { get; private set; } = 2;

    public int MaxProjects { get; private set; } = 1_000_000;

    public int Repeat { get; private set; } = 3;

    public bool Breakdown { get; private set; } = true;

    public string? Output { get; private set; }

    /// <summary>Gets the storages to run every scenario on, in order: <c>memory</c> (the default), <c>sqlite</c>, or both.</summary>
    public IReadOnlyList<string> Storages { get; private set; } = ["memory"];

    /// <summary>Gets the worker counts of the SQLite scenarios: a durable commit waits for the disk, so more workers keep it busy.</summary>
    public IReadOnlyList<int> SqliteWorkers { get; private set; } = [16, 64, 128];

    public Storage.Sqlite.SqliteSynchronous SqliteSynchronous { get; private set; } = Storage.Sqlite.SqliteSynchronous.Full;

    public int SqliteBatch { get; private set; } = 64;

    public IReadOnlyList<int> SqlitePageSizes { get; private set; } = [2048];

    /// <summary>Gets whether the Microsoft Agent Framework comparison runs after our scenarios.</summary>
    public bool Maf { get; private set; }

    public IEnumerable<LoadStorage> StorageList => Storages.SelectMany(s => s == "sqlite" ? SqlitePageSizes.Select(p => new LoadStorage("sqlite", SqliteSynchronous, SqliteBatch, p)) : [LoadStorage.Memory]);

    public IReadOnlyList<int> WorkersFor(LoadStorage storage) => storage.IsSqlite ? SqliteWorkers : Workers;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--projects":
                    options.InFlight = Ints(name, Value());
                    break;
                case "--workers":
                    options.Workers = Ints(name, Value());
                    break;
                case "--seconds":
                    options.Seconds = Positive(name, double.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--warmup":
                    options.WarmupSeconds = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--features":
                    options.Features = (int)Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--max-projects":
                    options.MaxProjects = (int)Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--repeat":
                    options.Repeat = (int)Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--no-breakdown":
                    options.Breakdown = false;
                    break;
                case "--output":
                    options.Output = Value();
                    break;
                case "--storage":
                    options.Storages = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v.ToLowerInvariant()).ToArray();
                    if (options.Storages.Count == 0 || options.Storages.Any(v => v is not ("memory" or "sqlite")))
                    {
                        throw new ArgumentException("--storage takes memory, sqlite or memory,sqlite.");
                    }

                    break;
                case "--sqlite-workers":
                    options.SqliteWorkers = Ints(name, Value());
                    break;
                case "--sqlite-sync":
                    options.SqliteSynchronous = Value().ToLowerInvariant() switch
                    {
                        "full" => Storage.Sqlite.SqliteSynchronous.Full,
                        "normal" => Storage.Sqlite.SqliteSynchronous.Normal,
                        _ => throw new ArgumentException("--sqlite-sync takes full or normal."),
                    };
                    break;
                case "--sqlite-page-size":
                    options.SqlitePageSizes = [.. Value().Split(',').Select(v => (int)Positive(name, int.Parse(v, CultureInfo.InvariantCulture)))];
                    break;
                case "--sqlite-batch":
                    options.SqliteBatch = (int)Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--maf":
                    options.Maf = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'. Options: --projects 1,64 --workers 1,2,4,8 --seconds 5 --warmup 2 --features 2 --max-projects N --repeat 3 --no-breakdown --output path --storage memory|sqlite|memory,sqlite --sqlite-workers 16,64,128 --sqlite-sync full|normal --sqlite-batch 64 --sqlite-page-size 2048,4096 --maf.");
            }
        }

        return options;
    }

    private static int[] Ints(string name, string value)
    {
        var numbers = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return numbers.Length > 0 && numbers.All(n => n > 0) ? numbers : throw new ArgumentException($"{name} takes positive numbers separated by commas.");
    }

    private static double Positive(string name, double value) => value > 0 ? value : throw new ArgumentException($"{name} must be more than zero.");
}
