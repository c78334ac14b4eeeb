namespace Reader.Gpio;

/// <summary>
/// The seam for the GPIO device family: a chip that hands out output lines. libgpiod implements it on the
/// board (<see cref="LibgpiodChip"/>); the hardware simulator implements it for CI and the demo.
/// </summary>
internal interface IGpioChip : IDisposable
{
    /// <summary>Kernel name of the chip, e.g. <c>gpiochip0</c>.</summary>
    string Name { get; }

    int LineCount { get; }

    /// <summary>Requests one line as an output, set to <paramref name="initiallyActive"/> at once.</summary>
    /// <exception cref="GpioException">Bad offset, line busy, permission denied or I/O error.</exception>
    IGpioOutputLine RequestOutput(int offset, string consumer, bool activeLow, bool initiallyActive);
}

/// <summary>One requested output line. Values are logical: active-low inversion happens below this seam.</summary>
internal interface IGpioOutputLine : IDisposable
{
    int Offset { get; }

    /// <exception cref="GpioException">The write failed.</exception>
    void Write(bool active);
}
