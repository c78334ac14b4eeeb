using Reader.Vision;

namespace Reader.Device.Hosting.SelfTest;

/// <summary>
/// What a running service lends its self-test checks (the terminal's "self-test" command): the loaded face
/// pipeline, the kiosk's address, whether a patient is at the reader. Empty for <c>reader-device self-test</c>.
/// </summary>
public sealed class ServiceRuntime
{
    public FaceVerifier? Verifier { get; init; }

    public Func<Uri?> KioskAddress { get; init; } = () => null;

    public Func<bool> SessionActive { get; init; } = () => false;

    public Func<bool> LinkConnected { get; init; } = () => false;

    /// <summary>The session's patient camera (probes borrow it, never open it beside a visit); null: open the configured source.</summary>
    internal Reader.Device.Session.ExclusiveCameraProvider? Camera { get; init; }

    public static ServiceRuntime Standalone { get; } = new();
}
