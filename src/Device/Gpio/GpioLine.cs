namespace Reader.Gpio;

/// <summary>One output line: its offset on the chip and whether "on" means a low level.</summary>
public readonly record struct GpioLine(int Offset, bool ActiveLow = false);
