namespace VirtualItCompany.Benchmarks.Load;

/// <summary>What one run measured in its window (after warm-up), and what its verification found.</summary>
internal sealed record LoadResult(
    LoadScenario Scenario,
    TimeSpan Window,
    long Items,
    long Projects,
    long AllocatedBytes,
    TimeSpan CpuTime,
    TimeSpan GcPause,
    int Gen0,
    int Gen1,
    int Gen2,
    int ProjectsVerified,
    IReadOnlyList<string> Problems,
    double RetainedBytesPerItem,
    IReadOnlyList<(string Type, double Share)> AllocationsByType)
{
    /// <summary>Gets every repetition of the scenario, slowest first; this result is the median one.</summary>
    public IReadOnlyList<LoadResult> Repeats { get; init; } = [];

    /// <summary>Gets the SQLite file's size (with its write-ahead log) after the run, per item committed; NaN in memory.</summary>
    public double FileBytesPerItem { get; init; } = double.NaN;

    /// <summary>Gets what the SQLite store did per item in the window (reads, writes, batches, time in each); null in memory.</summary>
    public string? StoreProfile { get; init; }

    public double ItemsPerSecond => Items / Window.TotalSeconds;

    public double ProjectsPerSecond => Projects / Window.TotalSeconds;

    public double BytesPerItem => Items == 0 ? double.NaN : (double)AllocatedBytes / Items;

    public double CpuMicrosecondsPerItem => Items == 0 ? double.NaN : CpuTime.TotalMicroseconds / Items;

    public double GcPausePercent => 100 * GcPause / Window;

    public bool Verified => Problems.Count == 0;
}
