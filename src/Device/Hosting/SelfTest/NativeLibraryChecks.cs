using System.Runtime.InteropServices;
using Reader.Device.Hosting.Sections;
using Reader.Gpio;

namespace Reader.Device.Hosting.SelfTest;

/// <summary>A shared library the service binds can be loaded (by its soname, as the binding loads it).</summary>
internal abstract class NativeLibraryCheck(string name, params string[] libraries) : ISelfTestCheck
{
    public string Name => name;

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        foreach (var library in libraries)
        {
            if (!NativeLibrary.TryLoad(library, out var handle))
            {
                return Task.FromResult(SelfTestResult.Fail($"{library} cannot be loaded (apt package missing?)"));
            }

            NativeLibrary.Free(handle);
        }

        return Task.FromResult(SelfTestResult.Pass(string.Join(", ", libraries) + " load"));
    }
}

internal sealed class ImageCodecsCheck() : NativeLibraryCheck("image-codecs", "libturbojpeg.so.0", "libopenjp2.so.7");

/// <summary>libgpiod and the configured chip, opened through System.Device.Gpio's LibGpiodDriver (a logged or absent indicator passes).</summary>
internal sealed class GpioCheck(GpioOptions options) : ISelfTestCheck
{
    public string Name => "gpio";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        var chip = options.ResolvedChip();
        if (chip is GpioOptions.LogOnly or GpioOptions.NoIndicator)
        {
            return Task.FromResult(SelfTestResult.Pass($"indicator '{chip}' (no GPIO hardware used)"));
        }

        return Task.FromResult(LibgpiodChips.TryProbe(chip, out var description, out _)
            ? SelfTestResult.Pass($"{LibgpiodChips.LibraryName}: {description}")
            : SelfTestResult.Fail(description));
    }
}
