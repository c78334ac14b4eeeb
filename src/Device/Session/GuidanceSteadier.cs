using Reader.Kiosk.Contract;

namespace Reader.Device.Session;

/// <summary>
/// Keeps the face screen's one instruction steady. Frame by frame the vision side may flip between two problems
/// (a printed photo: blink ↔ too bright every second); a patient, often elderly, needs one instruction long enough
/// to read it and hear it. A new instruction is shown only once the frames have asked for it for
/// <see cref="HoldFor"/>, and not before the one showing has been up for <see cref="MinimumShown"/>; the first
/// instruction of an attempt shows at once. A head-turn prompt (the step-up after the blink) also shows at once: it asks
/// for one movement whose time limit runs from the prompt, and it is asked once, so it cannot flicker.
/// Pure (times are passed in), one per attempt.
/// </summary>
internal sealed class GuidanceSteadier
{
    public static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MinimumShown = TimeSpan.FromSeconds(2);

    private FaceGuidance? _shown;
    private TimeSpan _shownAt;
    private FaceGuidance? _candidate;
    private TimeSpan _candidateSince;

    /// <summary>What the frame at <paramref name="now"/> asks for; returns the instruction to show when it changes, else null.</summary>
    public FaceGuidance? Offer(FaceGuidance wanted, TimeSpan now)
    {
        if (_shown is null || (wanted is FaceGuidance.TurnHeadLeft or FaceGuidance.TurnHeadRight && wanted != _shown))
        {
            return Show(wanted, now);
        }

        if (wanted == _shown)
        {
            _candidate = null;
            return null;
        }

        if (wanted != _candidate)
        {
            _candidate = wanted;
            _candidateSince = now;
        }

        return now - _candidateSince >= HoldFor && now - _shownAt >= MinimumShown ? Show(wanted, now) : null;
    }

    private FaceGuidance Show(FaceGuidance guidance, TimeSpan now)
    {
        _shown = guidance;
        _shownAt = now;
        _candidate = null;
        return guidance;
    }
}
