namespace Reader.Gpio;

/// <summary>One beep: the buzzer sounds for <see cref="On"/>, then is silent for <see cref="Off"/>.</summary>
public readonly record struct Tone(TimeSpan On, TimeSpan Off);

/// <summary>A named sequence of beeps; a repeating pattern plays until it is stopped or replaced.</summary>
public sealed record BuzzerPattern
{
    public BuzzerPattern(string name, IReadOnlyList<Tone> tones, bool repeatUntilStopped = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(tones);
        if (tones.Count == 0 || tones.Any(t => t.On <= TimeSpan.Zero || t.Off < TimeSpan.Zero))
        {
            throw new ArgumentException("a pattern needs at least one tone, each with a positive length", nameof(tones));
        }

        Name = name;
        Tones = tones;
        RepeatUntilStopped = repeatUntilStopped;
    }

    public string Name { get; }

    public IReadOnlyList<Tone> Tones { get; }

    public bool RepeatUntilStopped { get; }

    /// <summary>Length of one pass through the tones.</summary>
    public TimeSpan Duration => Tones.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.On + t.Off);

    /// <summary>Short single beep: the card was detected.</summary>
    public static BuzzerPattern CardPlaced { get; } = new("card-placed", [Beep(100, 0)]);

    /// <summary>Two short rising beeps: verified and done.</summary>
    public static BuzzerPattern Success { get; } = new("success", [Beep(80, 60), Beep(80, 0)]);

    /// <summary>Three longer beeps: something needs the patient's or staff's attention.</summary>
    public static BuzzerPattern Error { get; } = new("error", [Beep(250, 100), Beep(250, 100), Beep(250, 0)]);

    /// <summary>Three beeps and a pause, repeated until the card is taken (カードをお取りください).</summary>
    public static BuzzerPattern CardLeftBehind { get; } =
        new("card-left-behind", [Beep(300, 200), Beep(300, 200), Beep(300, 1200)], repeatUntilStopped: true);

    private static Tone Beep(int onMilliseconds, int offMilliseconds) =>
        new(TimeSpan.FromMilliseconds(onMilliseconds), TimeSpan.FromMilliseconds(offMilliseconds));
}
