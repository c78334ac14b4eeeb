using Reader.Firmware;

namespace Reader.Device.Hosting;

/// <summary>The "Firmware" section: what the terminal's "start update" command needs.</summary>
public sealed class FirmwareSectionOptions : IReaderOptions
{
    public string SystemConfig { get; set; } = "/etc/rauc/system.conf";

    public string Keyring { get; set; } = "";

    /// <summary>Security floor and per-slot state; bundles are staged in <c>staging/</c> inside. Empty:
    /// <c>$READER_RUN/firmware</c> / <c>/var/lib/reader/firmware</c>.</summary>
    public string StateDirectory { get; set; } = "";

    public string ResolvedStateDirectory() => RunEnvironment.Resolve(StateDirectory, run => Path.Combine(run, "firmware"), "/var/lib/reader/firmware");

    public string StagingDirectory => Path.Combine(ResolvedStateDirectory(), "staging");

    public IEnumerable<string> Validate() => [];

    public FirmwareOptions ToFirmwareOptions() => new()
    {
        SystemConfig = SystemConfig,
        Keyring = Keyring.Length > 0 ? Keyring : null,
        StateDirectory = ResolvedStateDirectory(),
    };
}
