using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Benchmarks.Estimator;

/// <summary>
/// The verbs of the complexity-estimator harness:
/// <c>estimator-train</c> fits the learned estimate on the train split and writes its weights into the Routing package;
/// <c>estimator-eval --split train|test</c> scores the estimators as two-model routers and writes a report.
/// </summary>
public static class EstimatorVerbs
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0 || args[0] is not ("estimator-train" or "estimator-eval"))
        {
            return false;
        }

        string? data = Option(args, "--data");
        string root = RepoRoot();
        var prompts = EstimatorData.Load(EstimatorData.DataDirectory(data));
        string results = Path.Combine(root, "benchmarks", "results", "routing");
        if (args[0] == "estimator-train")
        {
            EstimatorTrainer.TargetName = Option(args, "--target") ?? "fail-share";
            var (model, report) = EstimatorTrainer.Train(prompts);
            bool dryRun = args.Contains("--dry-run");
            var modelPath = Path.Combine(root, "src", "VirtualItCompany.Routing", "Signals", "complexity-model.bin");
            if (dryRun)
            {
                Console.WriteLine(report);
                Console.WriteLine("Dry run: nothing written.");
                return true;
            }

            File.WriteAllBytes(modelPath, model.Write());
            File.WriteAllText(Path.Combine(results, "complexity-estimator-train.md"), "# Complexity estimator: training\n\n" + report);
            Console.WriteLine(report);
            Console.WriteLine($"Model written to {modelPath}; rebuild the Routing package to ship it.");
            return true;
        }

        string split = Option(args, "--split") ?? throw new ArgumentException("estimator-eval needs --split train or --split test (test: only once the method and thresholds are fixed).");
        if (split is not ("train" or "test"))
        {
            throw new ArgumentException($"--split must be train or test, not '{split}'.");
        }

        var trainReport = File.ReadAllText(Path.Combine(results, "complexity-estimator-train.md"));
        var thresholds = EstimatorTrainer.ReadThresholds(trainReport);
        var text = Evaluate(prompts, split, thresholds);
        var output = Path.Combine(results, $"complexity-estimator-eval-{split}.md");
        File.WriteAllText(output, text);
        Console.WriteLine(text);
        Console.WriteLine($"Written to {output}");
        return true;
    }

    public static string Evaluate(IReadOnlyList<LabelledPrompt> prompts, string split, int[] thresholds)
    {
        var rows = prompts.Where(p => p.Split == split).ToList();
        var calls = rows.Select(p => (IReadOnlyList<ChatMessage>)[new ChatMessage(ChatRole.User, p.Text)]).ToList();
        var learned = LearnedComplexityEstimator.Instance;
        var heuristic = HeuristicComplexityEstimator.Instance;
        var learnedP = calls.Select(c => learned.Probability(c, null)).ToArray();
        var learnedInt = calls.Select(c => (double)learned.Estimate(c, null)).ToArray();
        var heuristicInt = calls.Select(c => (double)heuristic.Estimate(c, null)).ToArray();

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Complexity estimator as a strong/weak router: {split} split");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Data: LiveCodeBench code generation, {rows.Count} problems of the {split} split (benchmarks/data/DATA.md). A problem is solved by a model when pass@1 >= 50.");
        md.AppendLine(split == "test"
            ? "The test split is read once, after the features, the training, the mapping to 1-10 and the thresholds were fixed on the train split."
            : "Train split: the learned estimator was fitted on these problems, so its numbers here are in-sample (optimistic); the thresholds were chosen on out-of-fold estimates (complexity-estimator-train.md).");
        md.AppendLine("Saving = 1 - the smallest share of calls sent to the strong model that keeps 95% of the strong model's accuracy (ties split in expectation). AUROC is for \"weak model wrong and strong model right\".");
        md.AppendLine();
        for (int k = 0; k < EstimatorData.Pairs.Length; k++)
        {
            var pair = EstimatorData.Pairs[k];
            Routed[] With(double[] scores) => [.. rows.Select((p, i) => new Routed(scores[i], p.Solved(pair.Strong), p.Solved(pair.Weak)))];
            var li = With(learnedInt);
            double accS = RoutingMetrics.StrongAccuracy(li), accW = RoutingMetrics.WeakAccuracy(li);
            md.AppendLine(CultureInfo.InvariantCulture, $"## {pair.Name}");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Strong `{pair.Strong}` accuracy {accS:P1}; weak `{pair.Weak}` {accW:P1}; weak wrong and strong right on {li.Count(r => r.Strong && !r.Weak)} of {li.Length}.");
            md.AppendLine();
            md.AppendLine("| router | AUROC | saving at 95% (best threshold) |");
            md.AppendLine("| --- | ---: | ---: |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| random | 0.500 | {RoutingMetrics.RandomSaving(li):P1} |");
            foreach (var (name, scores) in new[] { ("heuristic (HeuristicComplexityEstimator, 1-10)", heuristicInt), ("learned (LearnedComplexityEstimator, 1-10)", learnedInt), ("learned, raw probability", learnedP) })
            {
                var r = With(scores);
                md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {RoutingMetrics.Auroc(r):0.000} | {RoutingMetrics.Saving(r):P1} |");
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"| oracle | 1.000 | {RoutingMetrics.OracleSaving(li):P1} |");
            md.AppendLine();
            var (share, acc) = RoutingMetrics.AtThreshold(li, thresholds[k]);
            double quality = acc / accS;
            md.AppendLine(CultureInfo.InvariantCulture, $"**Threshold fixed on train data: strong from complexity {thresholds[k]}.** On this split it sends {share:P1} of calls to the strong model: saving {1 - share:P1} at {quality:P1} of the strong model's accuracy. Random routing at 95%: saving {RoutingMetrics.RandomSaving(li):P1}; random routing at the same {quality:P1}: saving {RoutingMetrics.RandomSaving(li, quality):P1}.");
            md.AppendLine();
            md.AppendLine("| strong from complexity | learned: strong share | learned: accuracy (of strong) | heuristic: strong share | heuristic: accuracy (of strong) |");
            md.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
            var h = With(heuristicInt);
            for (int t = 1; t <= 11; t++)
            {
                var (ls, la) = RoutingMetrics.AtThreshold(li, t);
                var (hs, ha) = RoutingMetrics.AtThreshold(h, t);
                md.AppendLine(CultureInfo.InvariantCulture, $"| {t}{(t == 11 ? " (none)" : string.Empty)} | {ls:P1} | {la:P1} ({la / accS:P1}) | {hs:P1} | {ha:P1} ({ha / accS:P1}) |");
            }

            md.AppendLine();
        }

        md.AppendLine("## Sample explanations (first three problems of the split)");
        md.AppendLine();
        foreach (var (p, call) in rows.Zip(calls).Take(3))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {p.Id}: {learned.EstimateWithExplanation(call, null).Explanation}");
        }

        md.AppendLine();
        md.AppendLine("## Estimator cost per call");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Mean over the {rows.Count} prompts of this split (mean {rows.Average(p => p.Text.Length):0} chars, max {rows.Max(p => p.Text.Length)}), after warm-up, measured with Stopwatch and GC.GetAllocatedBytesForCurrentThread on a 2-core machine shared with other jobs: **provisional**; the BenchmarkDotNet figures are in the ComplexityEstimatorBenchmark report.");
        md.AppendLine();
        md.AppendLine("| estimator | ns per call | bytes per call |");
        md.AppendLine("| --- | ---: | ---: |");
        foreach (var (name, run) in new (string, Func<IReadOnlyList<ChatMessage>, object>)[]
                 {
                     ("HeuristicComplexityEstimator.Estimate", c => heuristic.Estimate(c, null)),
                     ("LearnedComplexityEstimator.Estimate", c => learned.Estimate(c, null)),
                     ("LearnedComplexityEstimator.EstimateWithExplanation", c => learned.EstimateWithExplanation(c, null)),
                 })
        {
            var (ns, bytes) = Measure(calls, run);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {ns:0} | {bytes:0} |");
        }

        md.AppendLine();
        md.AppendLine("(EstimateWithExplanation is what the router calls; its bytes are the explanation string. The figures include boxing the result for the measuring delegate: 24 B.)");
        return md.ToString();
    }

    private static (double Ns, double Bytes) Measure(List<IReadOnlyList<ChatMessage>> calls, Func<IReadOnlyList<ChatMessage>, object> run)
    {
        for (int r = 0; r < 3; r++)
        {
            foreach (var c in calls)
            {
                run(c);
            }
        }

        const int Rounds = 20;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < Rounds; r++)
        {
            foreach (var c in calls)
            {
                run(c);
            }
        }

        watch.Stop();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        double n = (double)Rounds * calls.Count;
        return (watch.Elapsed.TotalNanoseconds / n, bytes / n);
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VirtualItCompany.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Run the harness from inside the repository (VirtualItCompany.sln not found above the app).");
    }
}
