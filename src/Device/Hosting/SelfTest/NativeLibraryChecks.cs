using System.Runtime.InteropServices;
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

/// <summary>libgpiod and the configured chip (a simulated or absent indicator passes).</summary>
internal sealed class GpioCheck(GpioOptions options) : ISelfTestCheck
{
    public string Name => "gpio";

    public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
    {
        var chip = options.ResolvedChip();
        if (chip is GpioOptions.Simulated or GpioOptions.NoIndicator)
        {
            return Task.FromResult(SelfTestResult.Pass($"indicator '{chip}' (no GPIO hardware used)"));
        }

        if (!Libgpiod.TryGetVersion(out var version))
        {
            return Task.FromResult(SelfTestResult.Fail("libgpiod.so.2 cannot be loaded (apt: libgpiod2)"));
        }

        return Task.FromResult(Libgpiod.ProbeChip(chip) is { } error
            ? SelfTestResult.Fail($"libgpiod {version}: chip '{chip}': {error}")
            : SelfTestResult.Pass($"libgpiod {version}, chip '{chip}'"));
    }
}
