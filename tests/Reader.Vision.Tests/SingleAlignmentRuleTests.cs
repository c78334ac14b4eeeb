using Reader.Imaging;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Tests;

/// <summary>
/// The card is compared on its one-alignment embedding first (<see cref="VisionOptions.SingleAlignmentMatchThreshold"/>):
/// a clear match is decided there and the jittered template is never made; any score below the bar is decided on the
/// jittered template, made then, exactly as without the rule. The kept aligned card face is wiped either way.
/// </summary>
[Collection(SharedVerifier.Name)]
public sealed class SingleAlignmentRuleTests(VerifierFixture fixture)
{
    private FaceVerifier Verifier => fixture.Verifier;

    [Fact]
    public void A_clear_match_is_decided_on_the_one_alignment_without_the_jittered_template()
    {
        using var card = new VerificationTests(fixture).EnrolCardOf("astronaut.png");
        Assert.True(card.HasJitteredTemplate);
        var bar = Verifier.Options.SingleAlignmentMatchThreshold!.Value;
        using var live = WithCosine(card.SingleEmbedding, bar + 0.02);

        var (similarity, single) = CardComparison.Compare(Verifier, [live], card);

        Assert.True(single);
        Assert.InRange(similarity, bar, 1);
        Assert.False(card.JitteredTemplateMade);
    }

    [Fact]
    public void A_score_below_the_bar_is_decided_on_the_jittered_template()
    {
        using var card = new VerificationTests(fixture).EnrolCardOf("astronaut.png");
        var bar = Verifier.Options.SingleAlignmentMatchThreshold!.Value;
        Assert.True(bar > Verifier.MatchThreshold, "the bar is stricter than the match threshold");
        using var borderline = WithCosine(card.SingleEmbedding, (bar + Verifier.MatchThreshold) / 2);
        using var low = WithCosine(card.SingleEmbedding, 0.1);

        var (similarity, single) = CardComparison.Compare(Verifier, [borderline, low], card);

        Assert.False(single);
        Assert.True(card.JitteredTemplateMade);
        var full = Verifier.FullTemplate(card);
        Assert.Equal((borderline.CosineTo(full) + low.CosineTo(full)) / 2, similarity, 5);
        Assert.NotEqual((borderline.CosineTo(card.SingleEmbedding) + low.CosineTo(card.SingleEmbedding)) / 2, similarity, 5);
    }

    [Fact]
    public void Without_the_bar_every_decision_uses_the_jittered_template()
    {
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 1, SingleAlignmentMatchThreshold = null };
        using var verifier = FaceVerifier.Create(options);
        using var portrait = TestFrames.Load("astronaut.png");
        using var card = verifier.EnrollCardPhoto(portrait).Template;
        Assert.NotNull(card);
        using var live = WithCosine(card.SingleEmbedding, 0.99);

        var (_, single) = CardComparison.Compare(verifier, [live], card);

        Assert.False(single);
        Assert.True(card.JitteredTemplateMade);
    }

    [Fact]
    public void The_kept_aligned_card_face_is_wiped_once_the_jittered_template_is_made_or_the_template_is_disposed()
    {
        var quality = new FrameQuality(0.5, 128, 100, 0, 0, 0);
        var made = Aligned();
        var template = new CardTemplate(new FaceEmbedding(Unit(0)), made, isGrey: true, quality, 180, 225);
        var full = Verifier.FullTemplate(template);
        Assert.True(made.IsDisposed);
        template.Dispose();
        Assert.Throws<ObjectDisposedException>(() => full.Values.ToArray());

        var unused = Aligned();
        var kept = new CardTemplate(new FaceEmbedding(Unit(0)), unused, isGrey: true, quality, 180, 225);
        Assert.False(unused.IsDisposed);
        kept.Dispose();
        Assert.True(unused.IsDisposed);
    }

    [Fact]
    public void An_attempt_begun_before_its_card_decides_a_clear_match_on_the_one_alignment()
    {
        using var card = new VerificationTests(fixture).EnrolCardOf("astronaut.png");
        using var frame = TestFrames.AstronautFrame();
        using var attempt = Verifier.BeginAttempt(new AttemptOptions());
        for (var i = 0; i < 8 && attempt.State == AttemptState.Collecting; i++)
        {
            attempt.Feed(frame, TimeSpan.FromMilliseconds(100 * i));
        }

        Assert.True(attempt.AwaitingCard);
        attempt.UseCard(card);

        Assert.Equal(Decision.Match, attempt.Result!.Decision);
        Assert.True(attempt.Result.Similarity >= Verifier.Options.SingleAlignmentMatchThreshold);
        Assert.True(attempt.DecidedOnSingleAlignment);
        Assert.False(card.JitteredTemplateMade);
    }

    private static PixelBuffer Aligned()
    {
        var buffer = PixelBuffer.Rent(112, 112, PixelFormat.Rgb24);
        buffer.Pixels.Fill(90);
        return buffer;
    }

    private static float[] Unit(int axis)
    {
        var values = new float[FaceEmbedding.Dimensions];
        values[axis] = 1;
        return values;
    }

    /// <summary>A unit embedding whose cosine to <paramref name="reference"/> is <paramref name="cosine"/>.</summary>
    private static FaceEmbedding WithCosine(FaceEmbedding reference, double cosine)
    {
        var r = reference.Values.ToArray();
        var axis = Array.IndexOf(r, r.MinBy(Math.Abs));
        var u = Unit(axis);
        var along = r[axis];
        var norm = 0.0;
        for (var i = 0; i < u.Length; i++)
        {
            u[i] -= along * r[i];
            norm += u[i] * u[i];
        }

        var sine = Math.Sqrt(1 - (cosine * cosine));
        var values = new float[u.Length];
        for (var i = 0; i < u.Length; i++)
        {
            values[i] = (float)((cosine * r[i]) + (sine * u[i] / Math.Sqrt(norm)));
        }

        return new FaceEmbedding(values);
    }
}
