using Reader.Kiosk.Contract;
using Reader.Kiosk.Hosting;
using Reader.Kiosk.Tests.Support;
using Reader.Kiosk.Voice;

namespace Reader.Kiosk.Tests.Bench;

/// <summary>
/// ./reader kiosk preview: the real page with the scripted session, for a person to look at every
/// screen in a browser. Enter shows the next screen, a number jumps to that screen, q quits.
/// </summary>
internal static class KioskPreview
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = args.Length > 0 && int.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 8790;
        var session = new ScriptedKioskSession();
        await using var host = await KioskHost.StartAsync(session, new KioskHostOptions
        {
            Port = port,
            Voice = new VoiceOptions { HtsVoicePath = TestEnvironment.HtsVoice },
        }, new TestPreviewSource());
        var screens = ScreenCatalog.All;
        for (var i = 0; i < screens.Count; i++)
        {
            Console.WriteLine($"{i,3}  {screens[i].Name}");
        }

        Console.WriteLine($"Open {host.PageAddress} — Enter: next screen, a number: that screen, q: quit.");
        var index = 0;
        while (true)
        {
            var (name, screen) = screens[index];
            session.Show(screen, screen is KioskScreen.Idle ? null : Countdown.Starting(TimeProvider.System, TimeSpan.FromSeconds(60)),
                cancelAllowed: screen is not KioskScreen.Idle);
            Console.Write($"[{index}] {name} > ");
            var line = Console.ReadLine();
            if (line is null || line.Trim() == "q")
            {
                return 0;
            }

            index = int.TryParse(line, System.Globalization.CultureInfo.InvariantCulture, out var chosen) && chosen >= 0 && chosen < screens.Count
                ? chosen
                : (index + 1) % screens.Count;
        }
    }
}
