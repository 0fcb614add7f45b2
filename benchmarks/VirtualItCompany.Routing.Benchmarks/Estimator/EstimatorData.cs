using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VirtualItCompany.Routing.Benchmarks.Estimator;

/// <summary>One problem of the routing dataset: its prompt text and every model's pass@1 (0-100).</summary>
public sealed record LabelledPrompt(string Id, string Platform, string Split, string Text, IReadOnlyDictionary<string, double> PassAt1)
{
    /// <summary>A problem counts as solved by a model when at least half of its samples pass.</summary>
    public bool Solved(string model) => PassAt1.TryGetValue(model, out var p)
        ? p >= 50
        : throw new InvalidOperationException($"The dataset has no results for model '{model}'.");
}

/// <summary>A strong/weak model pair, fixed before any look at the test split.</summary>
public sealed record ModelPair(string Name, string Strong, string Weak);

/// <summary>Loads benchmarks/data/livecodebench-routing.tsv and the texts eng/build-routing-dataset.py rebuilt.</summary>
public static class EstimatorData
{
    /// <summary>The pairs scored, chosen up front from the model list (a reasoning model vs a cheap chat model; a vendor's big vs small model).</summary>
    public static readonly ModelPair[] Pairs =
    [
        new("o4-mini (high) vs gpt-4o-mini", "O4-Mini (High)", "GPT-4O-mini-2024-07-18"),
        new("claude-3.5-sonnet vs claude-3-haiku", "Claude-3.5-Sonnet-20241022", "Claude-3-Haiku"),
    ];

    public static string DataDirectory(string? given)
    {
        if (given is not null)
        {
            return given;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "benchmarks", "data");
            if (File.Exists(Path.Combine(candidate, "livecodebench-routing.tsv")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("benchmarks/data/livecodebench-routing.tsv was not found above the app; pass --data <dir>.");
    }

    public static List<LabelledPrompt> Load(string dataDirectory)
    {
        var tsv = Path.Combine(dataDirectory, "livecodebench-routing.tsv");
        var textsPath = Path.Combine(dataDirectory, ".texts", "livecodebench.jsonl");
        if (!File.Exists(textsPath))
        {
            throw new FileNotFoundException($"The prompt texts are not committed (their licence is the platforms'); rebuild them with: python3 eng/build-routing-dataset.py --texts-only", textsPath);
        }

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(textsPath))
        {
            using var doc = JsonDocument.Parse(line);
            texts[doc.RootElement.GetProperty("id").GetString()!] = doc.RootElement.GetProperty("text").GetString()!;
        }

        var lines = File.ReadAllLines(tsv);
        var header = lines[0].Split('\t');
        var prompts = new List<LabelledPrompt>(lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split('\t');
            var id = cells[0];
            var text = texts.TryGetValue(id, out var t) ? t : throw new InvalidDataException($"No text for problem {id}; rebuild the texts.");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            if (hash != cells[3])
            {
                throw new InvalidDataException($"The text of problem {id} does not match its committed hash; rebuild the texts from the recorded commit.");
            }

            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int i = 4; i < header.Length; i++)
            {
                scores[header[i]] = double.Parse(cells[i], CultureInfo.InvariantCulture);
            }

            prompts.Add(new LabelledPrompt(id, cells[1], cells[2], text, scores));
        }

        return prompts;
    }
}
