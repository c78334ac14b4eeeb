namespace Reader.Kiosk.Contract;

/// <summary>
/// Everything the touchscreen shows, as one immutable value: the page is a pure function of it.
/// The session publishes a new one for every change; the page never keeps its own flow state
/// (only PIN digits being typed and which page of a long list is visible stay in the page).
/// </summary>
public sealed record ScreenState
{
    /// <summary>Stamped by <see cref="Session.ScreenStatePublisher"/>: strictly increasing for the life of the process.</summary>
    public long Version { get; init; }

    /// <summary>Which screen, with that screen's data. Serialised with an <c>id</c> discriminator.</summary>
    public required KioskScreen Screen { get; init; }

    /// <summary>A code from <see cref="Languages"/>; Japanese unless the patient switched (on any screen).</summary>
    public string Language { get; init; } = KioskLanguages.Default;

    /// <summary>The languages the facility offers (codes of <see cref="KioskLanguages.Codes"/>, Japanese first): the page's language selector.</summary>
    public IReadOnlyList<string> Languages { get; init; } = KioskLanguages.Codes;

    public bool LargeText { get; init; }

    public bool HighContrast { get; init; }

    /// <summary>The inactivity countdown of this screen (WCAG 2.2.1), or null when the screen does not time out.</summary>
    public Countdown? Countdown { get; init; }

    /// <summary>Whether the Cancel button is shown.</summary>
    public bool CancelAllowed { get; init; } = true;

    /// <summary>The idle screen in Japanese with default display settings: the state after a card is removed.</summary>
    public static ScreenState Initial { get; } = new() { Screen = new KioskScreen.Idle(), CancelAllowed = false };
}
