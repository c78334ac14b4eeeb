namespace Reader.Camera.V4l2;

/// <summary>
/// Chooses the capture mode from what a device offers: the first preferred format it has, and the
/// size closest to the request, favouring sizes that cover it (downscaling is cheap, upscaling
/// loses detail the detector needs).
/// </summary>
public static class FormatNegotiation
{
    /// <summary>The mode to ask the driver for.</summary>
    /// <exception cref="CameraException">No preferred format is offered.</exception>
    public static CaptureMode Choose(IReadOnlyList<DeviceFormat> offered, IReadOnlyList<CapturePixelFormat> preferred, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(offered);
        ArgumentNullException.ThrowIfNull(preferred);
        foreach (var format in preferred)
        {
            var match = offered.FirstOrDefault(o => o.Format == format);
            if (match is null)
            {
                continue;
            }

            var (w, h) = match.Sizes.Count == 0 ? (width, height) : ClosestSize(match.Sizes, width, height);
            return new CaptureMode(format, w, h);
        }

        throw new CameraException(CameraErrorCode.NoSupportedFormat,
            $"the device offers {string.Join(", ", offered.Select(o => o.Format))}; wanted one of {string.Join(", ", preferred)}");
    }

    private static (int Width, int Height) ClosestSize(IReadOnlyList<FrameSizeRange> sizes, int width, int height)
    {
        (int, int) best = default;
        double bestCost = double.MaxValue;
        foreach (var range in sizes)
        {
            int w = Snap(width, range.MinWidth, range.MaxWidth, range.StepWidth);
            int h = Snap(height, range.MinHeight, range.MaxHeight, range.StepHeight);
            double cost = Cost(w, h, width, height);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = (w, h);
            }
        }

        return best;
    }

    private static int Snap(int wanted, int min, int max, int step)
    {
        int clamped = Math.Clamp(wanted, min, max);
        step = Math.Max(1, step);
        int snapped = min + ((clamped - min + step - 1) / step * step); // round up to the grid
        return snapped > max ? snapped - step : snapped;
    }

    /// <summary>Covering sizes cost their extra area; smaller ones cost far more (their missing area, weighted).</summary>
    private static double Cost(int w, int h, int width, int height)
    {
        double wanted = (double)width * height;
        if (w >= width && h >= height)
        {
            return ((double)w * h - wanted) / wanted;
        }

        double missing = (Math.Max(0, width - w) * (double)height) + (Math.Max(0, height - h) * (double)width);
        return 1000 + (missing / wanted);
    }
}
