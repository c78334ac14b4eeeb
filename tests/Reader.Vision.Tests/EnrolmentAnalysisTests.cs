using Reader.Imaging;
using Reader.Imaging.Ops;
using Reader.Vision.Bench.Evaluation;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Tests;

/// <summary>
/// Enrolment runs its thorough face search beside the first face's landmarks and embedding
/// (<see cref="FaceAnalyzer.AnalyzeForEnrolment"/>): it must give what the sequential analysis and embedding give, on
/// photos where the search keeps the first detection and on tight crops where it takes another face.
/// </summary>
[Collection(SharedVerifier.Name)]
public sealed class EnrolmentAnalysisTests(VerifierFixture fixture)
{
    private FaceVerifier Verifier => fixture.Verifier;

    public static TheoryData<string, double?> Photos => new()
    {
        { "astronaut.png", null },
        { "astronaut.png", 0.15 },
        { "astronaut.png", 0.05 },
        { "astronaut.png", 0.0 },
        { "astronaut.png", -0.05 },
        { "astronaut.png", -0.15 },
        { "astronaut.png", -0.25 },
    };

    [Theory]
    [MemberData(nameof(Photos))]
    public void The_search_beside_the_embedding_gives_the_sequential_result(string file, double? cropMargin)
    {
        using var whole = TestFrames.Load(file);
        using var photo = cropMargin is { } margin ? VerificationEvaluation.TightPortrait(Verifier, whole, new FaceCropOptions(margin, Grey: true, Height: 150)) : whole.Clone();
        Assert.NotNull(photo);
        using var rgb = ImageOps.Convert(photo, PixelFormat.Rgb24);

        lock (Verifier.Gate)
        {
            using var sequential = Verifier.Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: false, eyes: false);
            using var expected = sequential.Aligned is { } aligned ? Verifier.Pipeline.Embedder.Embed(aligned) : null;
            var (observation, embedding) = Verifier.Analyzer.AnalyzeForEnrolment(rgb);
            using (observation)
            using (embedding)
            {
                Assert.Equal(sequential.Face, observation.Face);
                Assert.Equal(sequential.Faces.Count, observation.Faces.Count);
                Assert.Equal(sequential.Landmarks?.Points, observation.Landmarks?.Points);
                Assert.Equal(sequential.Quality, observation.Quality);
                Assert.Equal(expected is null, embedding is null);
                if (expected is not null)
                {
                    Assert.True(expected.Values.SequenceEqual(embedding!.Values), "the embeddings differ");
                }
            }
        }
    }
}
