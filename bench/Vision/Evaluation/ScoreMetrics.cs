namespace Reader.Vision.Bench.Evaluation;

/// <summary>A threshold and the accept rates it gives.</summary>
public sealed record OperatingPoint(double TargetFalseAcceptRate, double Threshold, double FalseAcceptRate, double TrueAcceptRate);

/// <summary>
/// Verification metrics from genuine and impostor scores (higher = more similar): AUC, EER and
/// the threshold for a target false-accept rate (the lowest threshold whose FAR is at most the
/// target; with few impostor pairs a strict target just means "above every impostor").
/// </summary>
public static class ScoreMetrics
{
    /// <summary>Area under the ROC curve: P(genuine &gt; impostor), ties counting one half.</summary>
    public static double Auc(IReadOnlyList<double> genuine, IReadOnlyList<double> impostor)
    {
        if (genuine.Count == 0 || impostor.Count == 0)
        {
            return double.NaN;
        }

        var sortedImpostor = impostor.Order().ToArray();
        double wins = 0;
        foreach (var g in genuine)
        {
            var below = LowerBound(sortedImpostor, g);
            var notAbove = UpperBound(sortedImpostor, g);
            wins += below + (0.5 * (notAbove - below));
        }

        return wins / ((double)genuine.Count * impostor.Count);
    }

    /// <summary>Equal error rate and the threshold where FAR and FRR cross.</summary>
    public static (double Rate, double Threshold) EqualErrorRate(IReadOnlyList<double> genuine, IReadOnlyList<double> impostor)
    {
        if (genuine.Count == 0 || impostor.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var g = genuine.Order().ToArray();
        var i = impostor.Order().ToArray();
        var best = (Gap: double.MaxValue, Rate: 0.0, Threshold: 0.0);
        foreach (var t in g.Concat(i).Distinct().Order())
        {
            var far = (i.Length - LowerBound(i, t)) / (double)i.Length;
            var frr = LowerBound(g, t) / (double)g.Length;
            var gap = Math.Abs(far - frr);
            if (gap < best.Gap)
            {
                best = (gap, (far + frr) / 2, t);
            }
        }

        return (best.Rate, best.Threshold);
    }

    /// <summary>The operating point for a target false-accept rate.</summary>
    public static OperatingPoint AtFalseAcceptRate(IReadOnlyList<double> genuine, IReadOnlyList<double> impostor, double target)
    {
        var descending = impostor.OrderDescending().ToArray();
        var allowed = (int)Math.Floor(target * descending.Length);
        var threshold = descending.Length == 0 ? 0
            : allowed >= descending.Length ? descending[^1]
            : Math.BitIncrement(descending[allowed]);
        var far = descending.Length == 0 ? 0 : descending.Count(s => s >= threshold) / (double)descending.Length;
        var tar = genuine.Count == 0 ? 0 : genuine.Count(s => s >= threshold) / (double)genuine.Count;
        return new OperatingPoint(target, threshold, far, tar);
    }

    /// <summary>Rates at a fixed threshold: FAR over impostors, TAR over genuines.</summary>
    public static OperatingPoint AtThreshold(IReadOnlyList<double> genuine, IReadOnlyList<double> impostor, double threshold) => new(
        double.NaN,
        threshold,
        impostor.Count == 0 ? 0 : impostor.Count(s => s >= threshold) / (double)impostor.Count,
        genuine.Count == 0 ? 0 : genuine.Count(s => s >= threshold) / (double)genuine.Count);

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
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
            var mid = (lo + hi) / 2;
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
