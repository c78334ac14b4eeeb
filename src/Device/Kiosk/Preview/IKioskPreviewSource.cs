namespace Reader.Kiosk.Preview;

/// <summary>
/// Live framing preview for the face-capture screen: small JPEG frames of the patient camera,
/// streamed to the page over loopback and never stored. The camera side implements it.
/// </summary>
public interface IKioskPreviewSource
{
    /// <summary>Frames until cancelled. The kiosk disposes (wipes) each frame right after sending it.</summary>
    IAsyncEnumerable<PreviewFrame> ReadFramesAsync(CancellationToken cancellationToken);
}
