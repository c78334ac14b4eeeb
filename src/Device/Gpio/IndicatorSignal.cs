namespace Reader.Gpio;

/// <summary>Session moments that the patient should see and hear; each maps to LEDs plus a buzzer pattern.</summary>
public enum IndicatorSignal
{
    /// <summary>Working LED and one beep.</summary>
    CardPlaced,

    /// <summary>Success LED and the success beeps.</summary>
    Success,

    /// <summary>Error LED and the error beeps.</summary>
    Error,

    /// <summary>Keeps the LEDs and repeats the alarm until stopped (card removed) or cancelled.</summary>
    CardLeftBehind,
}
