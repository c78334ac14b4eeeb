namespace Reader.Gpio;

/// <summary>What the four status LEDs show; exactly one LED is lit, or none when <see cref="Off"/>.</summary>
public enum IndicatorState
{
    Off,
    Idle,
    Working,
    Success,
    Error,
}
