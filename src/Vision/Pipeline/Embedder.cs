using Reader.Imaging;
using Reader.Imaging.Ops;
using Reader.Vision.Inference;

namespace Reader.Vision.Pipeline;

/// <summary>fr_feature (MobileFaceNet-512): aligned 112×112 RGB, (v − 127)/128 → L2-normalised embedding.</summary>
internal sealed class Embedder(ModelSession session)
{
    internal FaceEmbedding Embed(PixelBuffer alignedRgb)
    {
        TensorFill.Planar(alignedRgb, session.Input(), ChannelOrder.Rgb, 127f, 1f / 128f);
        session.Run();
        var embedding = new FaceEmbedding(session.Output());
        session.ClearBuffers();
        return embedding;
    }

    // The aligned face as it is, shifted 2 px each way and scaled ±5 % about its centre: (scale, dx, dy).
    private static readonly (double Scale, double Dx, double Dy)[] Jitter =
        [(1, 0, 0), (1, -2, 0), (1, 2, 0), (1, 0, -2), (1, 0, 2), (0.95, 0, 0), (1.05, 0, 0)];

    /// <summary>The <c>fr_feature</c> runs <see cref="EmbedJittered"/> makes with <paramref name="mirror"/>.</summary>
    internal static int JitteredRuns(MirrorCopies mirror) => mirror switch
    {
        MirrorCopies.Centre => Jitter.Length + 1,
        MirrorCopies.AllAlignments => 2 * Jitter.Length,
        _ => Jitter.Length,
    };

    /// <summary>
    /// The normalised mean of the embeddings of <paramref name="alignedRgb"/> and of slightly shifted and scaled
    /// copies: a reference that does not depend on one landmark fit being exact to the pixel. With
    /// <paramref name="mirror"/>, the mean also takes the horizontally mirrored face (as it is, or with all its shifted
    /// and scaled copies).
    /// </summary>
    internal FaceEmbedding EmbedJittered(PixelBuffer alignedRgb, MirrorCopies mirror = MirrorCopies.None) => Mean(sum =>
    {
        AddJittered(alignedRgb, sum);
        if (mirror != MirrorCopies.None)
        {
            using var mirrored = Mirror(alignedRgb);
            if (mirror == MirrorCopies.AllAlignments)
            {
                AddJittered(mirrored, sum);
            }
            else
            {
                Add(mirrored, sum);
            }
        }
    });

    /// <summary>The normalised mean of the embeddings of <paramref name="alignedRgb"/> and of its mirror image
    /// (test-time flip): two <c>fr_feature</c> runs.</summary>
    internal FaceEmbedding EmbedWithMirror(PixelBuffer alignedRgb) => Mean(sum =>
    {
        Add(alignedRgb, sum);
        using var mirrored = Mirror(alignedRgb);
        Add(mirrored, sum);
    });

    /// <summary>The normalised sum of what <paramref name="addAll"/> adds (FaceEmbedding normalises); the sum is cleared after.</summary>
    private static FaceEmbedding Mean(Action<float[]> addAll)
    {
        var sum = new float[FaceEmbedding.Dimensions];
        try
        {
            addAll(sum);
            return new FaceEmbedding(sum);
        }
        finally
        {
            Array.Clear(sum);
        }
    }

    /// <summary>The image flipped left to right (a new pooled buffer, zeroed when disposed; caller disposes).</summary>
    internal static PixelBuffer Mirror(PixelBuffer image)
    {
        // destination → source: x_src = (W − 1) − x; integer sample positions, so the bilinear warp copies exactly.
        var flip = new AffineTransform(-1, 0, image.Width - 1, 0, 1, 0);
        return ImageOps.WarpAffine(image, flip, image.Width, image.Height);
    }

    private void AddJittered(PixelBuffer alignedRgb, float[] sum)
    {
        var centre = alignedRgb.Width / 2.0;
        foreach (var (scale, dx, dy) in Jitter)
        {
            // destination → source: undo the scale about the centre, then shift.
            var map = AffineTransform.Similarity(1 / scale, 0, centre - (centre / scale) + dx, centre - (centre / scale) + dy);
            using var moved = ImageOps.WarpAffine(alignedRgb, map, alignedRgb.Width, alignedRgb.Height);
            Add(moved, sum);
        }
    }

    private void Add(PixelBuffer alignedRgb, float[] sum)
    {
        using var one = Embed(alignedRgb);
        var values = one.Values;
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += values[i];
        }
    }
}
