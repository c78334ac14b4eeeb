using Reader.Imaging;
using Reader.Device.Session.Seams;
using Reader.Vision;

namespace Reader.Device.Session.Adapters;

/// <summary>
/// The face seam while the models load in the background after a start: every call waits for the load (a face
/// attempt in the first seconds after a restart waits; the PIN, the kiosk and the link never do). A load that failed
/// (whatever it threw) answers <see cref="FaceModelUnavailableException"/> from every call, so the visit reports the
/// models, not the camera that happened to be warming up, and falls back to the PIN or staff.
/// </summary>
internal sealed class LoadingFaceMatcher(Task<IFaceMatcher> loading) : IFaceMatcher
{
    private IFaceMatcher Loaded
    {
        get
        {
            try
            {
                return loading.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                throw new FaceModelUnavailableException("the face models did not load: " + e.GetType().Name, e);
            }
        }
    }

    /// <summary>Known once the load has ended; null while it runs (a visit then waits for it on the face path).</summary>
    public string? UnavailableReason => loading.IsCompleted
        ? loading.IsCompletedSuccessfully ? loading.Result.UnavailableReason : FaceModelUnavailableException.Code
        : null;

    public IFaceTemplate? Enrol(ReadOnlySpan<byte> photo) => Loaded.Enrol(photo);

    public Guidance Analyze(PixelBuffer frame) => Loaded.Analyze(frame);

    public IFaceAttempt BeginAttempt(AttemptOptions options) => Loaded.BeginAttempt(options);
}
