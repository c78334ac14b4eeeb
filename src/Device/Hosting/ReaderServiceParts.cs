using Reader.Camera;
using Reader.Device.Session;
using Reader.Device.Session.Seams;
using Reader.Gpio;
using Reader.Vision;

namespace Reader.Device.Hosting;

/// <summary>
/// Instances a caller hands to <see cref="ReaderService.Create"/> instead of those the configuration would make
/// (bench, tests). Each is optional; what is given stays the caller's (the service never disposes it).
/// </summary>
public sealed record ReaderServiceParts
{
    /// <summary>The patient camera, shared by every session (else <c>Camera:Source</c>, opened per session).</summary>
    public ICameraSource? Camera { get; init; }

    /// <summary>Where 照合番号B comes from (else <c>CardFace:Source</c>).</summary>
    public ICardFaceReader? CardFace { get; init; }

    public TimeProvider? Time { get; init; }

    /// <summary>Receives the phase timestamps of every session.</summary>
    public ISessionObserver? Observer { get; init; }

    /// <summary>LEDs and buzzer given by the host (a test's GPIO chip), else opened from <c>Gpio:Chip</c>.</summary>
    public StatusIndicator? Indicator { get; init; }

    /// <summary>A loaded face pipeline (else created from <c>Vision:*</c>).</summary>
    public FaceVerifier? Verifier { get; init; }
}
