namespace Reader.Device.Session;

/// <summary>The active challenge asked for during face capture (Random picks one per attempt).</summary>
public enum FaceChallenge
{
    None,
    Blink,
    TurnLeft,
    TurnRight,
    Random,
}

/// <summary>How the patient session behaves (from the "Session" configuration section).</summary>
public sealed record SessionSettings
{
    /// <summary>Face attempts before only the PIN and staff remain.</summary>
    public int FaceAttempts { get; init; } = 3;

    public FaceChallenge Challenge { get; init; } = FaceChallenge.Blink;

    /// <summary>One attempt decides by then.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Inactivity time-out of each interactive screen (visible countdown, "extend" restarts it).</summary>
    public TimeSpan Inactivity { get; init; } = TimeSpan.FromSeconds(60);

    public bool ShufflePinKeys { get; init; }

    /// <summary>目視 mode returns to automatic after this long without a visit.</summary>
    public TimeSpan VisualCheckTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the 目視 screen shows before consent.</summary>
    public TimeSpan VisualCheckScreen { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>On the done screen: then the card-left-behind alarm.</summary>
    public TimeSpan CardLeftBehind { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long "card removed" shows before idle.</summary>
    public TimeSpan EndedScreen { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The session's own card work keeps off the card this long after each relayed APDU (<see cref="CardLine"/>).</summary>
    public TimeSpan RelayHold { get; init; } = CardLine.DefaultRelayHold;

    /// <summary>Read 照合番号B, the photo and the genuineness proof before the patient chooses (face is the common path).</summary>
    public bool PrefetchCardFace { get; init; } = true;

    /// <summary>Ask 電子 / 紙 (until the terminal pushes a facility configuration).</summary>
    public bool EPrescription { get; init; }

    /// <summary>
    /// Once the card has done what needs no credential and waits for 照合番号B, a face attempt begun before its template
    /// analyses no frame while the card-face camera's look runs: the OCR (which the card waits for) gets the CPU, and the
    /// live evidence is gathered after it, beside the card's VERIFY, photo read and the enrolment. Off by default: on the
    /// 2-core VM it shortened sessions at load 17–23 by 300–570 ms at 424 kbit/s, but at load 3 it gained nothing and with
    /// a card that answers at once the live side became the last to finish (src/Device/README.md, perf8).
    /// </summary>
    public bool LiveWaitsForCardFaceRead { get; init; }

    /// <summary>Show the live framing preview on the face screen.</summary>
    public bool Preview { get; init; } = true;

    /// <summary>
    /// At least one card-face issuer key is trusted. Without one no chip photo can be authenticated: the face method
    /// is never offered (nor 照合番号B read), and patients get the PIN or 目視.
    /// </summary>
    public bool CardFaceVerifiable { get; init; } = true;
}
