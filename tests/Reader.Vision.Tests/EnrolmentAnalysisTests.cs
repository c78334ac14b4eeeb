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

    [Fact]
    public void The_search_beside_the_embedding_gives_the_sequential_result_whichever_face_it_keeps()
    {
        using var whole = TestFrames.Load("astronaut.png");
        var landmarkRuns = new List<long>();
        foreach (double? margin in new double?[] { null, 0.15, 0.05, 0.0, -0.05, -0.15, -0.25 })
        {
            using var photo = margin is { } m ? VerificationEvaluation.TightPortrait(Verifier, whole, new FaceCropOptions(m, Grey: true, Height: 150)) : whole.Clone();
            Assert.NotNull(photo);
            using var rgb = ImageOps.Convert(photo, PixelFormat.Rgb24);
            lock (Verifier.Gate)
            {
                using var sequential = Verifier.Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: false, eyes: false);
                using var expected = sequential.Aligned is { } aligned ? Verifier.Pipeline.Embedder.Embed(aligned) : null;
                var landmarks = Verifier.Pipeline.Session("fr_landmark");
                var before = landmarks.RunCount;
                var (observation, embedding) = Verifier.Analyzer.AnalyzeForEnrolment(rgb);
                landmarkRuns.Add(landmarks.RunCount - before);
                using (observation)
                using (embedding)
                {
                    var at = $"margin {margin?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}";
                    Assert.True(Equals(sequential.Face, observation.Face), at);
                    Assert.Equal(sequential.Faces.Count, observation.Faces.Count);
                    Assert.Equal(sequential.Landmarks?.Points, observation.Landmarks?.Points);
                    Assert.Equal(sequential.Quality, observation.Quality);
                    Assert.Equal(expected is null, embedding is null);
                    if (expected is not null)
                    {
                        Assert.True(expected.Values.SequenceEqual(embedding!.Values), $"{at}: the embeddings differ");
                    }
                }
            }
        }

        // One landmark run: the early work was the result; two: the search kept another face, located again.
        Assert.Contains(1L, landmarkRuns);
        Assert.Contains(2L, landmarkRuns);
    }
}
