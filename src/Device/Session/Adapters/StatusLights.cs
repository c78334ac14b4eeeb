using Microsoft.Extensions.Logging;
using Reader.Device.Session.Seams;
using Reader.Gpio;

namespace Reader.Device.Session.Adapters;

/// <summary>The LED/buzzer seam over <see cref="StatusIndicator"/> (libgpiod on the device, or any chip the caller gave it).</summary>
internal sealed partial class IndicatorLights(StatusIndicator indicator, ILogger logger) : IStatusLights, IDisposable
{
    public void Show(IndicatorState state) => Try(() => indicator.Show(state));

    public void Signal(IndicatorSignal signal) => Try(() => _ = PlayAsync(signal));

    public void StopBuzzer() => Try(indicator.StopBuzzer);

    public void Dispose() => indicator.Dispose();

    private async Task PlayAsync(IndicatorSignal signal)
    {
        try
        {
            await indicator.SignalAsync(signal);
        }
        catch (GpioException e)
        {
            LogFailed(logger, e.Error);
        }
    }

    /// <summary>A broken LED must never stop a patient's session.</summary>
    private void Try(Action action)
    {
        try
        {
            action();
        }
        catch (GpioException e)
        {
            LogFailed(logger, e.Error);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "indicator: GPIO write failed ({Error})")]
    private static partial void LogFailed(ILogger logger, GpioError error);
}

/// <summary><c>Gpio:Chip = log</c>: no hardware; every change is a log line (<c>indicator …</c>), e.g. for the demo.</summary>
internal sealed partial class LoggedLights(ILogger logger) : IStatusLights
{
    public void Show(IndicatorState state) => LogState(logger, state);

    public void Signal(IndicatorSignal signal) => LogSignal(logger, signal);

    public void StopBuzzer() => LogBuzzerOff(logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "indicator LED {State}")]
    private static partial void LogState(ILogger logger, IndicatorState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "indicator signal {Signal}")]
    private static partial void LogSignal(ILogger logger, IndicatorSignal signal);

    [LoggerMessage(Level = LogLevel.Information, Message = "indicator buzzer off")]
    private static partial void LogBuzzerOff(ILogger logger);
}

/// <summary><c>Gpio:Chip = none</c>.</summary>
internal sealed class NoLights : IStatusLights
{
    public void Show(IndicatorState state)
    {
    }

    public void Signal(IndicatorSignal signal)
    {
    }

    public void StopBuzzer()
    {
    }
}
