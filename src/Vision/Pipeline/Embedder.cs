using Reader.Imaging;
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
}
