using Reader.Vision.Bench.Evaluation;

namespace Reader.Vision.Tests;

public sealed class ScoreMetricsTests
{
    [Fact]
    public void Separated_scores_have_auc_1_and_eer_0()
    {
        double[] genuine = [0.7, 0.8, 0.9];
        double[] impostor = [0.1, 0.2, 0.3];
        Assert.Equal(1.0, ScoreMetrics.Auc(genuine, impostor));
        Assert.Equal(0.0, ScoreMetrics.EqualErrorRate(genuine, impostor).Rate);
    }

    [Fact]
    public void Auc_counts_ties_as_half_and_overlaps_as_losses()
    {
        // Pairs (g, i): 0.5 vs 0.5 tie, 0.5 < 0.6 loss, 0.7 wins both.
        Assert.Equal((0.5 + 0 + 1 + 1) / 4, ScoreMetrics.Auc([0.5, 0.7], [0.5, 0.6]));
    }

    [Fact]
    public void The_threshold_for_a_far_lets_through_at_most_that_share_of_impostors()
    {
        var impostor = Enumerable.Range(0, 1000).Select(i => i / 1000.0 * 0.5).ToArray(); // 0 .. 0.4995
        double[] genuine = [0.45, 0.499, 0.6, 0.9];
        var point = ScoreMetrics.AtFalseAcceptRate(genuine, impostor, 1e-2);
        Assert.True(point.FalseAcceptRate <= 1e-2);
        Assert.Equal(10, impostor.Count(s => s >= point.Threshold));
        Assert.Equal(0.75, point.TrueAcceptRate);
        var strict = ScoreMetrics.AtFalseAcceptRate(genuine, impostor, 1e-4);
        Assert.Equal(0, strict.FalseAcceptRate);
        Assert.True(strict.Threshold > impostor.Max());
        Assert.Equal(0.5, strict.TrueAcceptRate);
    }

    [Fact]
    public void The_equal_error_rate_sits_where_far_and_frr_cross()
    {
        double[] genuine = [0.2, 0.6, 0.7, 0.8];
        double[] impostor = [0.1, 0.3, 0.4, 0.65];
        var (rate, threshold) = ScoreMetrics.EqualErrorRate(genuine, impostor);
        Assert.Equal(0.25, rate);
        Assert.InRange(threshold, 0.3, 0.65);
    }

    [Fact]
    public void Labels_are_read_relative_to_the_csv_with_an_optional_header()
    {
        var dir = Directory.CreateTempSubdirectory("reader-vision-labels-");
        try
        {
            var csv = Path.Combine(dir.FullName, "labels.csv");
            File.WriteAllLines(csv, ["file,identity", "a/1.jpg,alice", "", "# comment", "b/2.png, bob "]);
            var images = LabelledImages.Load(csv);
            Assert.Equal(2, images.Count);
            Assert.Equal(Path.Combine(dir.FullName, "a/1.jpg"), images[0].Path);
            Assert.Equal("bob", images[1].Identity);
            File.WriteAllLines(csv, ["justafile"]);
            Assert.Throws<FormatException>(() => LabelledImages.Load(csv));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
