namespace Reader.Kiosk.Session;

/// <summary>What the session made of a press; the host turns it into the HTTP status the page sees.</summary>
public enum ActionOutcome
{
    /// <summary>Taken (202).</summary>
    Accepted,

    /// <summary>Pressed on a screen that is no longer showing (409): the page re-renders from the newest state.</summary>
    Stale,

    /// <summary>Not possible on the current screen (422), e.g. a PIN on a face-only card.</summary>
    NotAllowed,
}
