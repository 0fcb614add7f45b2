namespace VirtualItCompany.Routing.Benchmarks.Estimator;

/// <summary>One prompt as a two-model router sees it: the estimator's score and whether each model solved it.</summary>
public readonly record struct Routed(double Score, bool Strong, bool Weak);

/// <summary>
/// Scores a strong/weak router: a call goes to the strong model when its score is at or above the threshold.
/// Ties (equal scores) are split in expectation: routing a random fraction of a tied group gives the same fraction of
/// its gain, so the accuracy between two thresholds is linear in the share of strong calls.
/// </summary>
public static class RoutingMetrics
{
    public const double QualityTarget = 0.95;

    public static double StrongAccuracy(IReadOnlyList<Routed> data) => data.Average(r => r.Strong ? 1.0 : 0.0);

    public static double WeakAccuracy(IReadOnlyList<Routed> data) => data.Average(r => r.Weak ? 1.0 : 0.0);

    /// <summary>Share of strong calls and accuracy when every call scoring at least <paramref name="threshold"/> goes to the strong model.</summary>
    public static (double Share, double Accuracy) AtThreshold(IReadOnlyList<Routed> data, double threshold)
    {
        int strong = 0, correct = 0;
        foreach (var r in data)
        {
            bool toStrong = r.Score >= threshold;
            strong += toStrong ? 1 : 0;
            correct += (toStrong ? r.Strong : r.Weak) ? 1 : 0;
        }

        return ((double)strong / data.Count, (double)correct / data.Count);
    }

    /// <summary>The smallest share of strong calls whose accuracy reaches <paramref name="target"/> (highest scores routed first, ties split in expectation).</summary>
    public static double MinimumStrongShare(IReadOnlyList<Routed> data, double target)
    {
        int n = data.Count;
        var sorted = data.OrderByDescending(r => r.Score).ToArray();
        double correct = data.Sum(r => r.Weak ? 1.0 : 0.0);
        if (correct / n >= target)
        {
            return 0;
        }

        int routed = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            double gain = 0;
            while (j < n && sorted[j].Score == sorted[i].Score)
            {
                gain += (sorted[j].Strong ? 1 : 0) - (sorted[j].Weak ? 1 : 0);
                j++;
            }

            if (gain > 0 && (correct + gain) / n >= target)
            {
                double fraction = ((target * n) - correct) / gain;
                return (routed + (fraction * (j - i))) / n;
            }

            correct += gain;
            routed += j - i;
            i = j;
        }

        return 1;
    }

    /// <summary>Saving at <see cref="QualityTarget"/> of the strong model's accuracy: 1 - the smallest share of strong calls that reaches it.</summary>
    public static double Saving(IReadOnlyList<Routed> data) => 1 - MinimumStrongShare(data, QualityTarget * StrongAccuracy(data));

    /// <summary>Random routing: accuracy is linear in the share of strong calls.</summary>
    public static double RandomSaving(IReadOnlyList<Routed> data, double quality = QualityTarget)
    {
        double s = StrongAccuracy(data), w = WeakAccuracy(data), target = quality * s;
        if (w >= target)
        {
            return 1;
        }

        return 1 - Math.Clamp((target - w) / (s - w), 0, 1);
    }

    /// <summary>The oracle: routes to the strong model exactly the calls only it solves.</summary>
    public static double OracleSaving(IReadOnlyList<Routed> data) =>
        Saving(data.Select(r => r with { Score = (r.Strong ? 1 : 0) - (r.Weak ? 1 : 0) }).ToArray());

    /// <summary>AUROC of the score for "weak model wrong and strong model right" (ties count a half).</summary>
    public static double Auroc(IReadOnlyList<Routed> data)
    {
        var positives = data.Where(r => r.Strong && !r.Weak).Select(r => r.Score).ToArray();
        var negatives = data.Where(r => !(r.Strong && !r.Weak)).Select(r => r.Score).OrderBy(s => s).ToArray();
        if (positives.Length == 0 || negatives.Length == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        foreach (var p in positives)
        {
            int below = LowerBound(negatives, p);
            int notAbove = UpperBound(negatives, p);
            sum += below + (0.5 * (notAbove - below));
        }

        return sum / ((double)positives.Length * negatives.Length);
    }

    /// <summary>The largest threshold (fewest strong calls) whose accuracy still reaches the target; <paramref name="candidates"/> ascending.</summary>
    public static double ChooseThreshold(IReadOnlyList<Routed> data, IReadOnlyList<double> candidates)
    {
        double target = QualityTarget * StrongAccuracy(data);
        double chosen = candidates[0];
        foreach (var t in candidates)
        {
            if (AtThreshold(data, t).Accuracy >= target)
            {
                chosen = t;
            }
        }

        return chosen;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
