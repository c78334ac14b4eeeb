using Reader.Device.Session;

namespace Reader.Device.Hosting.Sections;

/// <summary>The "Session" section: how the patient session behaves (see <see cref="SessionSettings"/>).</summary>
public sealed class SessionOptions : IReaderOptions
{
    public int FaceAttempts { get; set; } = 3;

    /// <summary>None, Blink, TurnLeft, TurnRight or Random.</summary>
    public string Challenge { get; set; } = "Blink";

    public int AttemptTimeoutSeconds { get; set; } = 10;

    public int InactivitySeconds { get; set; } = 60;

    public bool ShufflePinKeys { get; set; }

    public int VisualCheckTimeoutSeconds { get; set; } = 300;

    public int VisualCheckScreenSeconds { get; set; } = 3;

    public int CardLeftBehindSeconds { get; set; } = 10;

    public int EndedScreenSeconds { get; set; } = 4;

    /// <summary>
    /// How long the session's own card work keeps off the card after each APDU the terminal relays (特定機関認証 is
    /// one MQTT command per APDU; a terminal that consults its servers between them needs longer).
    /// </summary>
    public int RelayHoldSeconds { get; set; } = 2;

    public bool PrefetchCardFace { get; set; } = true;

    public bool EPrescription { get; set; }

    /// <summary>See <see cref="SessionSettings.LiveWaitsForCardFaceRead"/> (off: measured to help only a heavily loaded 2-core host).</summary>
    public bool LiveWaitsForCardFaceRead { get; set; }

    public IEnumerable<string> Validate()
    {
        if (FaceAttempts is < 1 or > 10)
        {
            yield return $"FaceAttempts: must be 1..10, got {FaceAttempts}";
        }

        if (!Enum.TryParse<FaceChallenge>(Challenge, ignoreCase: true, out _))
        {
            yield return $"Challenge: must be None, Blink, TurnLeft, TurnRight or Random, got '{Challenge}'";
        }

        foreach (var (name, value, min, max) in new[]
        {
            (nameof(AttemptTimeoutSeconds), AttemptTimeoutSeconds, 2, 120),
            (nameof(InactivitySeconds), InactivitySeconds, 10, 600),
            (nameof(VisualCheckTimeoutSeconds), VisualCheckTimeoutSeconds, 10, 86_400),
            (nameof(VisualCheckScreenSeconds), VisualCheckScreenSeconds, 0, 60),
            (nameof(CardLeftBehindSeconds), CardLeftBehindSeconds, 1, 600),
            (nameof(EndedScreenSeconds), EndedScreenSeconds, 0, 60),
            (nameof(RelayHoldSeconds), RelayHoldSeconds, 1, 60),
        })
        {
            if (value < min || value > max)
            {
                yield return $"{name}: must be {min}..{max}, got {value}";
            }
        }
    }

    public SessionSettings ToSettings() => new()
    {
        FaceAttempts = FaceAttempts,
        Challenge = Enum.Parse<FaceChallenge>(Challenge, ignoreCase: true),
        AttemptTimeout = TimeSpan.FromSeconds(AttemptTimeoutSeconds),
        Inactivity = TimeSpan.FromSeconds(InactivitySeconds),
        ShufflePinKeys = ShufflePinKeys,
        VisualCheckTimeout = TimeSpan.FromSeconds(VisualCheckTimeoutSeconds),
        VisualCheckScreen = TimeSpan.FromSeconds(VisualCheckScreenSeconds),
        CardLeftBehind = TimeSpan.FromSeconds(CardLeftBehindSeconds),
        EndedScreen = TimeSpan.FromSeconds(EndedScreenSeconds),
        RelayHold = TimeSpan.FromSeconds(RelayHoldSeconds),
        PrefetchCardFace = PrefetchCardFace,
        EPrescription = EPrescription,
        LiveWaitsForCardFaceRead = LiveWaitsForCardFaceRead,
    };
}
