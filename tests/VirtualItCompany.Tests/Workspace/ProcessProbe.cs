using System.Diagnostics;

namespace VirtualItCompany.Tests.Workspace;

/// <summary>Tells whether a process id still names a live process (a zombie awaiting its reaper counts as gone).</summary>
internal static class ProcessProbe
{
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (Directory.Exists("/proc/self"))
        {
            try
            {
                var text = File.ReadAllText(stat);
                var state = text[(text.LastIndexOf(')') + 2)..][0];
                return state is not ('Z' or 'X');
            }
            catch (IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static async Task<bool> IsGoneWithinAsync(int pid, TimeSpan wait)
    {
        var deadline = Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            if (deadline.Elapsed > wait)
            {
                return false;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return true;
    }

    /// <summary>Gets the host ids of the live processes whose command line holds <paramref name="token"/> (processes in a sandbox's PID namespace have other ids inside).</summary>
    public static List<int> FindByArgument(string token)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(token, StringComparison.Ordinal) && IsAlive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // It ended while we looked.
            }
        }

        return found;
    }

    /// <summary>Waits until no live process's command line holds <paramref name="token"/>.</summary>
    public static async Task<bool> NoneWithArgumentWithinAsync(string token, TimeSpan wait)
    {
        var deadline = Stopwatch.StartNew();
        while (FindByArgument(token).Count > 0)
        {
            if (deadline.Elapsed > wait)
            {
                return false;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return true;
    }

    /// <summary>A sleep argument no other process has: seconds with a random fraction.</summary>
    public static string UniqueSleep() => "3600." + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
