using System.Net;
using Reader.Kiosk.Hosting;
using Reader.Kiosk.Voice;

namespace Reader.Device.Hosting.Sections;

/// <summary>The "Kiosk" section: where the touchscreen page is served (loopback only).</summary>
public sealed class KioskOptions : IReaderOptions
{
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>0 = a free port (the service prints <c>KIOSK URL …</c>).</summary>
    public int Port { get; set; } = 8790;

    /// <summary>Serve the page from this folder instead of the copy inside the assembly (working on the page).</summary>
    public string StaticRoot { get; set; } = "";

    /// <summary>Synthesise the Japanese voice prompts in the background at start.</summary>
    public bool WarmUpVoice { get; set; } = true;

    /// <summary>
    /// The per-boot key that binds the page to the kiosk browser (kiosk.service reads it and opens <c>/?key=…</c>).
    /// Empty: <c>$READER_RUN/kiosk/access.key</c> / <c>/run/reader/kiosk-access.key</c> (tmpfs: a new key every boot).
    /// </summary>
    public string AccessKeyFile { get; set; } = "";

    public string ResolvedAccessKeyFile() => RunEnvironment.Resolve(AccessKeyFile, run => Path.Combine(run, "kiosk", "access.key"), "/run/reader/kiosk-access.key");

    public IEnumerable<string> Validate()
    {
        if (!IPAddress.TryParse(Address, out var address) || !IPAddress.IsLoopback(address))
        {
            yield return $"Address: must be a loopback address (127.0.0.1 or ::1), got '{Address}'";
        }

        if (Port is < 0 or > 65535)
        {
            yield return $"Port: must be 0..65535, got {Port}";
        }

        if (StaticRoot.Length > 0 && !Directory.Exists(StaticRoot))
        {
            yield return $"StaticRoot: folder '{StaticRoot}' does not exist";
        }
    }

    public KioskHostOptions ToHostOptions() => new()
    {
        Address = IPAddress.Parse(Address),
        Port = Port,
        StaticRoot = StaticRoot.Length > 0 ? StaticRoot : null,
        AccessKeyFile = ResolvedAccessKeyFile(),
        Voice = new VoiceOptions { WarmUpLanguages = WarmUpVoice ? ["ja"] : [] },
    };
}
