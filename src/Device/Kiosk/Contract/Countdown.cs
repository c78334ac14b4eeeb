namespace Reader.Kiosk.Contract;

/// <summary>
/// An inactivity time-out the patient can see and extend. The page counts down to
/// <paramref name="Deadline"/> with its own clock (page and host share the device clock: loopback only).
/// </summary>
/// <param name="Deadline">When the session will give up on this screen.</param>
/// <param name="TotalSeconds">The full length of the time-out, for a progress bar.</param>
/// <param name="ExtendOffered">Whether the "more time" button is shown.</param>
public sealed record Countdown(DateTimeOffset Deadline, int TotalSeconds, bool ExtendOffered = true)
{
    /// <summary>Below this many seconds left the page warns, in text and voice, that time is running out.</summary>
    public const int WarningSeconds = 20;

    public static Countdown Starting(TimeProvider clock, TimeSpan length, bool extendOffered = true)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new Countdown(clock.GetUtcNow() + length, (int)Math.Ceiling(length.TotalSeconds), extendOffered);
    }
}
