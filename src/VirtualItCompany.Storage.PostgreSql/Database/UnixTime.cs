namespace VirtualItCompany.Storage.PostgreSql;

/// <summary>The store's own times (lease expiry, retry times, save times) as unix milliseconds.</summary>
internal static class UnixTime
{
    /// <summary>A moment as unix milliseconds, rounded down: "now".</summary>
    public static long Floor(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>A deadline as unix milliseconds, rounded up, so that nothing becomes available before it.</summary>
    public static long Ceiling(DateTimeOffset time)
    {
        long ms = time.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms) < time ? ms + 1 : ms;
    }

    public static DateTimeOffset ToTime(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
