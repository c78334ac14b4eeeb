using Reader.Kiosk.Tests.Bench;

namespace Reader.Kiosk.Tests;

/// <summary>
/// The test assembly doubles as the kiosk benchmark (<c>--bench</c>, ./reader bench kiosk) and a page
/// preview with the scripted session (<c>--preview [port]</c>, ./reader kiosk preview), and pictures of every screen
/// (<c>--screenshots DIR</c>, ./reader kiosk screenshots).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--bench")
        {
            return await KioskBench.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "--screenshots")
        {
            return await KioskScreenshots.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "--preview")
        {
            return await KioskPreview.RunAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync("This is a test assembly: run it with dotnet test, or with --bench (./reader bench kiosk) --preview [port] (./reader kiosk preview) or --screenshots DIR (./reader kiosk screenshots).");
        return 2;
    }
}
