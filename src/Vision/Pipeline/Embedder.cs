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

    /// <summary>
    /// The normalised mean of the embeddings of <paramref name="alignedRgb"/> and of slightly shifted and scaled
    /// copies: a reference that does not depend on one landmark fit being exact to the pixel.
    /// </summary>
    internal FaceEmbedding EmbedJittered(PixelBuffer alignedRgb)
    {
        var sum = new float[FaceEmbedding.Dimensions];
        try
        {
            var centre = alignedRgb.Width / 2.0;
            foreach (var (scale, dx, dy) in Jitter)
            {
                // destination → source: undo the scale about the centre, then shift.
                var map = AffineTransform.Similarity(1 / scale, 0, centre - (centre / scale) + dx, centre - (centre / scale) + dy);
                using var moved = ImageOps.WarpAffine(alignedRgb, map, alignedRgb.Width, alignedRgb.Height);
                using var one = Embed(moved);
                var values = one.Values;
                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] += values[i];
                }
            }

            return new FaceEmbedding(sum);
        }
        finally
        {
            Array.Clear(sum);
        }
    }
}
