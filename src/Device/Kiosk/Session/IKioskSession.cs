using Reader.Kiosk.Contract;

namespace Reader.Kiosk.Session;

/// <summary>
/// The seam between the touchscreen and the patient session. The session owns the flow and every
/// time-out; the kiosk only renders <see cref="Current"/> and forwards what the patient pressed.
/// <see cref="ScreenStatePublisher"/> implements <see cref="Current"/> and <see cref="WatchAsync"/>
/// for a session that delegates to it.
/// </summary>
public interface IKioskSession
{
    /// <summary>The state the page should show now.</summary>
    ScreenState Current { get; }

    /// <summary>
    /// The current state at once, then every later one. A slow watcher may skip intermediate states
    /// (the page only needs the latest). Ends when <paramref name="cancellationToken"/> fires.
    /// </summary>
    IAsyncEnumerable<ScreenState> WatchAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Handles one press. Called once per POST; PIN digits in <see cref="KioskAction.SubmitPin"/> are
    /// wiped when this returns. Should return quickly: long work (card, camera) runs on the session's
    /// own task and shows up as new states.
    /// </summary>
    Task<ActionOutcome> HandleActionAsync(KioskAction action, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a press the page made on state <paramref name="version"/> may still be handed to the session. By default
    /// only on the current state; a session whose screens change their live data under the patient's finger (the face
    /// guidance while the camera looks) accepts a press on an older state of the same screen, so a 中止 made just as
    /// the guidance changed is not lost.
    /// </summary>
    bool AcceptsPressOn(long version) => version == Current.Version;
}
