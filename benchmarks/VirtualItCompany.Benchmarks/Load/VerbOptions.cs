using System.Globalization;

namespace VirtualItCompany.Benchmarks.Load;

/// <summary>The options of the <c>recovery</c> and <c>idle</c> verbs: <c>--name value</c> pairs and flags.</summary>
internal sealed class VerbOptions
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private VerbOptions()
    {
    }

    public static VerbOptions Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> names, IReadOnlyCollection<string> flags)
    {
        var options = new VerbOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (flags.Contains(name))
            {
                options._values[name] = null;
            }
            else if (names.Contains(name))
            {
                options._values[name] = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            }
            else
            {
                throw new ArgumentException($"Unknown option '{name}'. Options: {string.Join(' ', names.Select(n => n + " value").Concat(flags))}.");
            }
        }

        return options;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) && value is not null
            ? int.Parse(value, CultureInfo.InvariantCulture) is > 0 and var n ? n : throw new ArgumentException($"{name} must be more than zero.")
            : fallback;

    /// <summary>Gets a report path: the one given, else <c>benchmarks/results/{file}</c> of the repository the command runs in.</summary>
    public string Output(string file)
    {
        if (String("--output") is { } path)
        {
            return path;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualItCompany.sln")))
            {
                return Path.Combine(dir.FullName, "benchmarks", "results", file);
            }
        }

        return Path.Combine("benchmarks", "results", file);
    }
}
