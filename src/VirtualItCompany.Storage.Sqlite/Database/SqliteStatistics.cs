using System.Diagnostics;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>
/// Process-wide counts of what the SQLite stores did: reads, writes (each write's own statements), batches and the time
/// spent in each, so that the load harness can say where the time of a work item goes. Counting costs two timestamps
/// and a few interlocked adds per operation.
/// </summary>
internal static class SqliteStatistics
{
    private static long s_reads;
    private static long s_readTicks;
    private static long s_writes;
    private static long s_writeTicks;
    private static long s_batches;
    private static long s_commitTicks;
    private static long s_batchTicks;
    private static long s_runAgain;

    /// <summary>Takes a snapshot of the counters.</summary>
    public static Snapshot Take() => new(
        Interlocked.Read(ref s_reads),
        Interlocked.Read(ref s_readTicks),
        Interlocked.Read(ref s_writes),
        Interlocked.Read(ref s_writeTicks),
        Interlocked.Read(ref s_batches),
        Interlocked.Read(ref s_commitTicks),
        Interlocked.Read(ref s_batchTicks),
        Interlocked.Read(ref s_runAgain));

    internal static void Read(long started) => Add(ref s_reads, ref s_readTicks, started);

    internal static void Write(long started) => Add(ref s_writes, ref s_writeTicks, started);

    internal static void Commit(long started) => Interlocked.Add(ref s_commitTicks, Stopwatch.GetTimestamp() - started);

    internal static void Batch(long started) => Add(ref s_batches, ref s_batchTicks, started);

    internal static void RunAgain() => Interlocked.Increment(ref s_runAgain);

    private static void Add(ref long count, ref long ticks, long started)
    {
        Interlocked.Increment(ref count);
        Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - started);
    }

    /// <summary>The counters at one moment.</summary>
    /// <param name="Reads">Reads run (each on a read connection).</param>
    /// <param name="ReadTicks">Stopwatch ticks spent in reads.</param>
    /// <param name="Writes">Writes run by the writer (a write of a batch run again counts again).</param>
    /// <param name="WriteTicks">Stopwatch ticks the writer spent in the writes' own statements (savepoints included, when a batch runs again with them).</param>
    /// <param name="Batches">Transactions committed or failed.</param>
    /// <param name="CommitTicks">Stopwatch ticks spent in <c>COMMIT</c> (the write-ahead log's append and flush).</param>
    /// <param name="BatchTicks">Stopwatch ticks from <c>BEGIN</c> to the end of <c>COMMIT</c>.</param>
    /// <param name="RunAgain">Batches rolled back and run again with a savepoint per write, because a write failed after changing rows.</param>
    public readonly record struct Snapshot(long Reads, long ReadTicks, long Writes, long WriteTicks, long Batches, long CommitTicks, long BatchTicks, long RunAgain)
    {
        /// <summary>The difference of two snapshots.</summary>
        public static Snapshot operator -(Snapshot a, Snapshot b) => new(
            a.Reads - b.Reads, a.ReadTicks - b.ReadTicks, a.Writes - b.Writes, a.WriteTicks - b.WriteTicks, a.Batches - b.Batches, a.CommitTicks - b.CommitTicks, a.BatchTicks - b.BatchTicks, a.RunAgain - b.RunAgain);

        /// <summary>Describes the counters per work item.</summary>
        /// <param name="items">The items committed meanwhile.</param>
        /// <returns>A line of text.</returns>
        public string PerItem(long items)
        {
            double n = Math.Max(1, items);
            static double Us(long ticks) => ticks * 1_000_000d / Stopwatch.Frequency;
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"per item: {Reads / n:0.00} reads ({Us(ReadTicks) / n:0} us), {Writes / n:0.00} writes ({Us(WriteTicks) / n:0} us in statements), {Batches / n:0.000} batches ({Writes / Math.Max(1d, Batches):0.0} writes each; COMMIT {Us(CommitTicks) / n:0} us, whole batch {Us(BatchTicks) / n:0} us per item; {RunAgain} run again with savepoints)");
        }
    }
}
