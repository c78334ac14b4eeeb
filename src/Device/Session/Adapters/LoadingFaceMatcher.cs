using Reader.Imaging;
using Reader.Device.Session.Seams;
using Reader.Vision;

namespace Reader.Device.Session.Adapters;

/// <summary>
/// The face seam while the models load in the background after a start: every call waits for the load (a face
/// attempt in the first seconds after a restart waits; the PIN, the kiosk and the link never do).
/// </summary>
internal sealed class LoadingFaceMatcher(Task<IFaceMatcher> loading) : IFaceMatcher
{
    private IFaceMatcher Loaded => loading.GetAwaiter().GetResult();

    public IFaceTemplate? Enrol(ReadOnlySpan<byte> photo) => Loaded.Enrol(photo);

    public Guidance Analyze(PixelBuffer frame) => Loaded.Analyze(frame);

    public IFaceAttempt BeginAttempt(AttemptOptions options) => Loaded.BeginAttempt(options);
}
