using Reader.Gpio;

namespace Reader.Device.Session.Seams;

/// <summary>The LED and buzzer seam (over <see cref="StatusIndicator"/> in production). Never blocks the session.</summary>
internal interface IStatusLights
{
    void Show(IndicatorState state);

    /// <summary>LEDs plus a buzzer pattern, played in the background (a new one replaces the playing one).</summary>
    void Signal(IndicatorSignal signal);

    /// <summary>Stops the card-left-behind alarm (the card was taken).</summary>
    void StopBuzzer();
}
