using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing.Benchmarks.Estimator;

/// <summary>A call's features as the estimator reads them: structural values and bucket counts (already divided by the square root of the token count).</summary>
public sealed record FeatureVector(float[] Dense, int[] Buckets, float[] Values);

/// <summary>
/// Trains the learned complexity estimate on the TRAIN split only: a logistic model (soft targets, L2) predicting the
/// share of the dataset's models that fail a problem; the L2 strength is chosen by 5-fold cross-validation (log loss)
/// and the strong-model threshold on the out-of-fold estimates, so neither sees the test split.
/// </summary>
internal static class EstimatorTrainer
{
    public static readonly double[] Lambdas = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2];
    private const int Folds = 5;
    private const int Iterations = 1500;

    public static FeatureVector Featurize(string text) => Featurize([new ChatMessage(ChatRole.User, text)], null);

    public static FeatureVector Featurize(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var sink = new CollectingSink(ComplexityFeatures.DenseNames.Length);
        ComplexityFeatures.Extract(messages, options, ref sink);
        return sink.ToVector();
    }

    /// <summary>The training target: <c>fail-share</c> (default) is the share of the dataset's models that fail the problem (pass@1 below 50); <c>weak-fails</c> whether the first pair's weak model fails it; <c>pair-label</c> whether the first pair's weak model fails and its strong model solves it.</summary>
    public static string TargetName { get; set; } = "fail-share";

    public static double Target(LabelledPrompt p) => TargetName switch
    {
        "fail-share" => p.PassAt1.Values.Average(v => v < 50 ? 1.0 : 0.0),
        "weak-fails" => p.Solved(EstimatorData.Pairs[0].Weak) ? 0 : 1,
        "pair-label" => p.Solved(EstimatorData.Pairs[0].Strong) && !p.Solved(EstimatorData.Pairs[0].Weak) ? 1 : 0,
        _ => throw new ArgumentException($"Unknown --target '{TargetName}': use fail-share, weak-fails or pair-label."),
    };

    public static ComplexityModel Fit(IReadOnlyList<FeatureVector> x, IReadOnlyList<double> y, double lambda, int strongFrom, float[]? cuts = null)
    {
        int dense = ComplexityFeatures.DenseNames.Length;
        var means = new float[dense];
        foreach (var v in x)
        {
            for (int d = 0; d < dense; d++)
            {
                means[d] += v.Dense[d] / x.Count;
            }
        }

        // Full-batch Adam on mean log loss + lambda/2 |w|^2 (bias not penalised); deterministic.
        int dim = 1 + dense + ComplexityFeatures.Buckets;
        var w = new double[dim];
        var m = new double[dim];
        var s = new double[dim];
        var g = new double[dim];
        const double rate = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double baseRate = y.Average();
        w[0] = Math.Log(baseRate / (1 - baseRate));
        for (int it = 1; it <= Iterations; it++)
        {
            Array.Clear(g);
            for (int i = 0; i < x.Count; i++)
            {
                double err = (Sigmoid(Logit(w, x[i], means)) - y[i]) / x.Count;
                g[0] += err;
                for (int d = 0; d < dense; d++)
                {
                    g[1 + d] += err * (x[i].Dense[d] - means[d]);
                }

                var buckets = x[i].Buckets;
                for (int k = 0; k < buckets.Length; k++)
                {
                    g[1 + dense + buckets[k]] += err * x[i].Values[k];
                }
            }

            double c1 = 1 - Math.Pow(b1, it), c2 = 1 - Math.Pow(b2, it);
            for (int j = 0; j < dim; j++)
            {
                double grad = g[j] + (j == 0 ? 0 : lambda * w[j]);
                m[j] = (b1 * m[j]) + ((1 - b1) * grad);
                s[j] = (b2 * s[j]) + ((1 - b2) * grad * grad);
                double mh = m[j] / c1, sh = s[j] / c2;
                w[j] -= rate * mh / (Math.Sqrt(sh) + eps);
            }
        }

        return new ComplexityModel(
            (float)w[0],
            cuts ?? [.. Enumerable.Range(1, ComplexityModel.CutCount).Select(i => i / 10f)],
            [.. w.Skip(1).Take(dense).Select(v => (float)v)],
            means,
            [.. w.Skip(1 + dense).Select(v => (float)v)],
            strongFrom);
    }

    public static double Predict(ComplexityModel model, FeatureVector v) => Sigmoid(Logit(model, v));

    public static int Fold(string id) => (int)(Fnv(id) % Folds);

    /// <summary>Runs the whole training; returns the model (threshold set from pair 0's out-of-fold estimates) and a report.</summary>
    public static (ComplexityModel Model, string Report) Train(IReadOnlyList<LabelledPrompt> all)
    {
        var train = all.Where(p => p.Split == "train").ToList();
        if (train.Count == 0 || train.Count == all.Count)
        {
            throw new InvalidOperationException("The dataset needs both a train and a test split.");
        }

        var x = train.Select(p => Featurize(p.Text)).ToList();
        var y = train.Select(Target).ToList();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Training on the train split only: {train.Count} problems (test split not read).");
        report.AppendLine(CultureInfo.InvariantCulture, $"Target: {TargetName} (fail-share: share of the dataset's 16 models that fail the problem, pass@1 < 50); logistic model, soft labels.");
        report.AppendLine();
        report.AppendLine("| L2 lambda | 5-fold CV log loss |");
        report.AppendLine("| ---: | ---: |");
        double bestLoss = double.MaxValue, bestLambda = Lambdas[0];
        double[]? bestOof = null;
        foreach (var lambda in Lambdas)
        {
            var oof = OutOfFold(train, x, y, lambda);
            double loss = 0;
            for (int i = 0; i < y.Count; i++)
            {
                double p = Math.Clamp(oof[i], 1e-6, 1 - 1e-6);
                loss -= ((y[i] * Math.Log(p)) + ((1 - y[i]) * Math.Log(1 - p))) / y.Count;
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"| {lambda:g} | {loss:0.0000} |");
            if (loss < bestLoss)
            {
                (bestLoss, bestLambda, bestOof) = (loss, lambda, oof);
            }
        }

        var sortedOof = bestOof!.OrderBy(v => v).ToArray();
        float[] cuts = [.. Enumerable.Range(1, ComplexityModel.CutCount).Select(i => (float)sortedOof[(int)Math.Floor(i * sortedOof.Length / 10.0)])];
        var probe = new ComplexityModel(0, cuts, new float[ComplexityFeatures.DenseNames.Length], new float[ComplexityFeatures.DenseNames.Length], new float[ComplexityFeatures.Buckets], 11);
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Cut points onto 1-10 (deciles of the out-of-fold estimates): {string.Join(", ", cuts.Select(c => c.ToString("0.000", CultureInfo.InvariantCulture)))}.");
        report.AppendLine();
        report.AppendLine("Out-of-fold on the train split (each problem scored by a model that did not see it):");
        report.AppendLine();
        report.AppendLine("| pair | AUROC (probability) | saving at 95% (probability) | saving at 95% (1-10) | random | oracle |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var pair in EstimatorData.Pairs)
        {
            var rp = train.Select((p, i) => new Routed(bestOof![i], p.Solved(pair.Strong), p.Solved(pair.Weak))).ToArray();
            var ri = rp.Select(r => r with { Score = probe.ToComplexity(r.Score) }).ToArray();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {pair.Name} | {RoutingMetrics.Auroc(rp):0.000} | {RoutingMetrics.Saving(rp):P1} | {RoutingMetrics.Saving(ri):P1} | {RoutingMetrics.RandomSaving(rp):P1} | {RoutingMetrics.OracleSaving(rp):P1} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Chosen lambda: {bestLambda:g}. Thresholds (complexity from which calls go to the strong model) chosen on the out-of-fold estimates of the train split, the largest reaching 95% of the strong model's train accuracy:");
        report.AppendLine();
        var thresholds = new int[EstimatorData.Pairs.Length];
        for (int k = 0; k < EstimatorData.Pairs.Length; k++)
        {
            var pair = EstimatorData.Pairs[k];
            var routed = train.Select((p, i) => new Routed(probe.ToComplexity(bestOof![i]), p.Solved(pair.Strong), p.Solved(pair.Weak))).ToArray();
            thresholds[k] = (int)RoutingMetrics.ChooseThreshold(routed, [.. Enumerable.Range(1, 11).Select(t => (double)t)]);
            var (share, acc) = RoutingMetrics.AtThreshold(routed, thresholds[k]);
            report.AppendLine(CultureInfo.InvariantCulture, $"- {pair.Name}: strong from complexity {thresholds[k]} (train out-of-fold: {share:P1} strong calls, {acc / RoutingMetrics.StrongAccuracy(routed):P1} of strong accuracy)");
        }

        var model = Fit(x, y, bestLambda, thresholds[0], cuts);
        return (model, report.ToString());
    }

    /// <summary>The thresholds per pair chosen on training data, as recorded in the training report.</summary>
    public static int[] ReadThresholds(string trainReport)
    {
        var result = new int[EstimatorData.Pairs.Length];
        for (int k = 0; k < result.Length; k++)
        {
            var marker = $"- {EstimatorData.Pairs[k].Name}: strong from complexity ";
            int at = trainReport.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new InvalidDataException($"The training report has no threshold for {EstimatorData.Pairs[k].Name}; run estimator-train first.");
            }

            var rest = trainReport[(at + marker.Length)..];
            result[k] = int.Parse(rest[..rest.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        }

        return result;
    }

    private static double[] OutOfFold(List<LabelledPrompt> train, List<FeatureVector> x, List<double> y, double lambda)
    {
        var oof = new double[train.Count];
        for (int f = 0; f < Folds; f++)
        {
            var fitIdx = Enumerable.Range(0, train.Count).Where(i => Fold(train[i].Id) != f).ToArray();
            var model = Fit([.. fitIdx.Select(i => x[i])], [.. fitIdx.Select(i => y[i])], lambda, 11);
            for (int i = 0; i < train.Count; i++)
            {
                if (Fold(train[i].Id) == f)
                {
                    oof[i] = Predict(model, x[i]);
                }
            }
        }

        return oof;
    }

    private static double Logit(double[] w, FeatureVector v, float[] means)
    {
        int dense = means.Length;
        double z = w[0];
        for (int d = 0; d < dense; d++)
        {
            z += w[1 + d] * (v.Dense[d] - means[d]);
        }

        for (int k = 0; k < v.Buckets.Length; k++)
        {
            z += w[1 + dense + v.Buckets[k]] * v.Values[k];
        }

        return z;
    }

    private static double Logit(ComplexityModel model, FeatureVector v)
    {
        double z = model.Bias;
        for (int d = 0; d < model.DenseWeights.Length; d++)
        {
            z += model.DenseWeights[d] * (v.Dense[d] - model.DenseMeans[d]);
        }

        for (int k = 0; k < v.Buckets.Length; k++)
        {
            z += model.BucketWeights[v.Buckets[k]] * v.Values[k];
        }

        return z;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static uint Fnv(string s)
    {
        uint h = 2166136261;
        foreach (char c in s)
        {
            h = (h ^ c) * 16777619;
        }

        return h;
    }

    private struct CollectingSink(int dense) : IComplexityFeatureSink
    {
        private readonly float[] _dense = new float[dense];
        private readonly SortedDictionary<int, float> _counts = [];
        private int _tokens;

        public readonly void Dense(int index, float value) => _dense[index] = value;

        public readonly void Token(int bucket, string text, int start, int length) => _counts[bucket] = _counts.GetValueOrDefault(bucket) + 1;

        public void End(int tokenCount) => _tokens = tokenCount;

        public readonly FeatureVector ToVector()
        {
            float scale = _tokens > 0 ? 1f / MathF.Sqrt(_tokens) : 0f;
            return new FeatureVector(_dense, [.. _counts.Keys], [.. _counts.Values.Select(c => c * scale)]);
        }
    }
}
