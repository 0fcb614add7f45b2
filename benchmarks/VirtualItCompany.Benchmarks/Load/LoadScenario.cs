namespace VirtualItCompany.Benchmarks.Load;

/// <summary>One run of the load harness: how many projects are kept in flight, on how many workers, observed how.</summary>
/// <param name="InFlight">Projects in flight; a new one is submitted whenever one completes.</param>
/// <param name="Workers">The dispatcher's workers.</param>
/// <param name="Features">Features each project plans (the developer fan-out).</param>
/// <param name="Feed">Whether a live-feed subscriber counts the events (else a store decorator does, and the feed has no subscriber).</param>
/// <param name="ModelCall">Whether agents make their one model call through the runtime's chat pipeline.</param>
/// <param name="ProfileAllocations">Whether allocation ticks are sampled by type (slows the run; its throughput is not comparable).</param>
/// <param name="Storage">Where the company keeps its state: the in-memory store, or a fresh SQLite file.</param>
internal sealed record LoadScenario(int InFlight, int Workers, int Features, bool Feed = true, bool ModelCall = true, bool ProfileAllocations = false, LoadStorage? Storage = null)
{
    /// <summary>Gets the storage, the in-memory store when none was given.</summary>
    public LoadStorage Store => Storage ?? LoadStorage.Memory;

    public string Variant => (Feed, ModelCall) switch
    {
        (true, true) => "full",
        (false, true) => "no feed subscriber",
        (true, false) => "no model call",
        _ => "no feed, no model call",
    } + (ProfileAllocations ? ", allocation profile" : string.Empty);
}

/// <summary>Where a load run keeps the company's state.</summary>
/// <param name="Kind"><c>memory</c> or <c>sqlite</c>.</param>
/// <param name="Synchronous">For SQLite: how hard each commit is pushed to disk (<c>Full</c>: every commit durable once its task completes).</param>
/// <param name="MaxBatchSize">For SQLite: the most writes that share one transaction and one flush (group commit).</param>
/// <param name="PageSize">For SQLite: the page size of the new file (the store's default unless told).</param>
internal sealed record LoadStorage(string Kind, Storage.Sqlite.SqliteSynchronous Synchronous = Storage.Sqlite.SqliteSynchronous.Full, int MaxBatchSize = 64, int PageSize = 2048)
{
    public static LoadStorage Memory { get; } = new("memory");

    public bool IsSqlite => Kind == "sqlite";

    public override string ToString() => IsSqlite
        ? $"SQLite, synchronous={Synchronous.ToString().ToUpperInvariant()}{(MaxBatchSize == 64 ? string.Empty : $", batch {MaxBatchSize}")}{(PageSize == 2048 ? string.Empty : $", page {PageSize}")}"
        : "memory";
}
