using Reader.Imaging;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Tests;

/// <summary>Our pipeline against the reference implementation's outputs (shared/vision/golden.json).</summary>
[Collection(SharedVerifier.Name)]
public sealed class GoldenParityTests(VerifierFixture fixture)
{
    private readonly FacePipeline pipeline = fixture.Verifier.Pipeline;

    [GoldenFact]
    public void Astronaut_box_points_embedding_and_liveness_match_the_reference()
    {
        var result = Run("astronaut.png");
        Assert.Equal(result.Golden.Detections, result.Detections);
        AssertClose(result.Golden.Box, result.Box, 2.0f, "box");
        Assert.InRange(Math.Abs(result.Golden.Score - result.Score), 0, 1e-3);
        for (var i = 0; i < 5; i++)
        {
            AssertClose(result.Golden.Five[i], [result.Five[i].X, result.Five[i].Y], 2.0f, $"point {i}");
        }

        Assert.True(result.Cosine >= 0.99, $"embedding cosine to the reference {result.Cosine}");
        Assert.InRange(Math.Abs(result.Golden.Liveness[0] - result.Live), 0, 0.02);
    }

    [GoldenFact]
    public void Messi_matches_the_reference_within_looser_limits_for_a_different_jpeg_decoder()
    {
        var result = Run("messi5.jpg");
        Assert.Equal(result.Golden.Detections, result.Detections);
        AssertClose(result.Golden.Box, result.Box, 3.0f, "box");
        for (var i = 0; i < 5; i++)
        {
            AssertClose(result.Golden.Five[i], [result.Five[i].X, result.Five[i].Y], 2.5f, $"point {i}");
        }

        Assert.True(result.Cosine >= 0.97, $"embedding cosine to the reference {result.Cosine}");
        Assert.InRange(Math.Abs(result.Golden.Liveness[0] - result.Live), 0, 0.05);
    }

    [GoldenFact]
    public void Warp_and_embedding_alone_reproduce_the_reference_embedding_from_its_own_points()
    {
        var golden = GoldenFace.Load("astronaut.png")!;
        using var rgb = TestFrames.Load("astronaut.png");
        var five = golden.Five.Select(p => new PointF(p[0], p[1])).ToArray();
        using var aligned = FaceAligner.Align(rgb, five);
        using var embedding = pipeline.Embedder.Embed(aligned);
        Assert.True(Cosine(embedding, golden.Embedding) >= 0.9999);
    }

    [GoldenFact]
    public void The_two_reference_images_are_different_people()
    {
        var astronaut = GoldenFace.Load("astronaut.png")!;
        var messi = GoldenFace.Load("messi5.jpg")!;
        var reference = astronaut.Embedding.Zip(messi.Embedding).Sum(t => t.First * t.Second);
        using var a = Embed("astronaut.png");
        using var m = Embed("messi5.jpg");
        Assert.InRange(a.CosineTo(m), reference - 0.05, reference + 0.05);
        Assert.True(a.CosineTo(m) < fixture.Verifier.MatchThreshold);
    }

    private FaceEmbedding Embed(string name)
    {
        using var rgb = TestFrames.Load(name);
        var face = pipeline.Detector.Detect(rgb)[0];
        var landmarks = pipeline.Landmarks.Predict(rgb, face.Box.Squared(rgb.Width, rgb.Height));
        using var aligned = FaceAligner.Align(rgb, landmarks.FivePoints());
        return pipeline.Embedder.Embed(aligned);
    }

    private (GoldenFace Golden, int Detections, float[] Box, float Score, PointF[] Five, double Cosine, float Live) Run(string name)
    {
        var golden = GoldenFace.Load(name) ?? throw new InvalidOperationException($"golden.json missing at {TestPaths.Golden}");
        lock (fixture.Verifier.Gate)
        {
            using var rgb = TestFrames.Load(name);
            var faces = pipeline.Detector.Detect(rgb);
            var face = faces[0];
            var square = face.Box.Squared(rgb.Width, rgb.Height);
            var five = pipeline.Landmarks.Predict(rgb, square).FivePoints();
            using var aligned = FaceAligner.Align(rgb, five);
            using var embedding = pipeline.Embedder.Embed(aligned);
            var live = pipeline.Liveness.LiveProbability(rgb, square);
            return (golden, faces.Count, [face.Box.X1, face.Box.Y1, face.Box.X2, face.Box.Y2], face.Score, five,
                Cosine(embedding, golden.Embedding), live);
        }
    }

    private static double Cosine(FaceEmbedding embedding, float[] reference) =>
        embedding.Values.ToArray().Zip(reference).Sum(t => (double)t.First * t.Second);

    private static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (tolerance {tolerance} px)");
        }
    }
}
