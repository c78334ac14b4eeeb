using Reader.Device.Session.Seams;
using Reader.Imaging;
using Reader.Vision;

namespace Reader.Device.Session.Adapters;

/// <summary>
/// The models or ONNX Runtime could not be loaded: the face path is never offered (<see cref="UnavailableReason"/>),
/// and a call that comes anyway fails with <see cref="FaceModelUnavailableException"/>, so the session offers the PIN.
/// </summary>
internal sealed class UnavailableFaceMatcher : IFaceMatcher
{
    public string? UnavailableReason => FaceModelUnavailableException.Code;

    public IFaceTemplate? Enrol(ReadOnlySpan<byte> photo) => throw new FaceModelUnavailableException();

    public Guidance Analyze(PixelBuffer frame) => throw new FaceModelUnavailableException();

    public IFaceAttempt BeginAttempt(AttemptOptions options) => throw new FaceModelUnavailableException();
}
