using Reader.Device.Session.Seams;
using Reader.Imaging;
using Reader.Vision;

namespace Reader.Device.Session.Adapters;

/// <summary>The models or ONNX Runtime could not be loaded: every face preparation fails, so the session offers the PIN.</summary>
internal sealed class UnavailableFaceMatcher : IFaceMatcher
{
    public IFaceTemplate? Enrol(ReadOnlySpan<byte> photo) => throw new InvalidOperationException("the face pipeline is not available");

    public Guidance Analyze(PixelBuffer frame) => Guidance.NoFace;

    public IFaceAttempt BeginAttempt(AttemptOptions options) => throw new InvalidOperationException("the face pipeline is not available");
}
