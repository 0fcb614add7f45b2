namespace VirtualItCompany.Benchmarks.Load;

/// <summary>A new folder under the system's temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Gets the bytes of every file in the folder.</summary>
    public long Bytes() => new DirectoryInfo(Path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("VIC_KEEP_TEMP") == "1")
        {
            Console.WriteLine("Kept " + Path);
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temporary folder; nothing depends on it.
        }
    }
}
