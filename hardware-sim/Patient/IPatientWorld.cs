using Reader.HardwareSim.Camera;

namespace Reader.HardwareSim.Patient;

/// <summary>A card the patient places: a virtual card variant (standard, face-only, expired-certificate, renew-soon,
/// locked-pin, foreign, unreadable), optionally a card id (the same id is the same card: PIN counters persist) and PIN.</summary>
public sealed record CardToPlace(string Variant = "standard", string? CardId = null, string? Pin = null);

/// <summary>
/// Everything around the screen that a patient script needs: the card on the reader, who stands in front of
/// the camera, and the clinic staff at the terminal. Implemented over the sim daemon and the terminal for the
/// command line (<see cref="SimWorld"/>) and over the in-process rig in the end-to-end tests.
/// </summary>
public interface IPatientWorld
{
    Task PlaceCardAsync(CardToPlace card, CancellationToken cancellationToken);

    Task TakeCardAsync(CancellationToken cancellationToken);

    Task ShowCameraAsync(SceneKind scene, CancellationToken cancellationToken);

    /// <summary>Staff switch the reader's mode at the terminal: <c>visual-check</c> (目視) or <c>automatic</c>.</summary>
    Task SetReaderModeAsync(string mode, CancellationToken cancellationToken);
}
