using Reader.Firmware;

namespace Reader.Device.Hosting.Sections;

/// <summary>The "Firmware" section: what the terminal's "start update" command needs.</summary>
public sealed class FirmwareSectionOptions : IReaderOptions
{
    public string SystemConfig { get; set; } = "/etc/rauc/system.conf";

    public string Keyring { get; set; } = "";

    /// <summary>
    /// Root's anti-rollback state (security floor, per-slot versions): the service reads it and can never lower it.
    /// Empty: <c>$READER_RUN/firmware</c> / <c>/data/firmware</c>.
    /// </summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>
    /// The service's own folder (0700) where a bundle is staged before it is verified and installed; the only place a
    /// <c>file://</c> bundle is taken from. Empty: <c>$READER_RUN/firmware/staging</c> / <c>/var/lib/reader/firmware/staging</c>.
    /// </summary>
    public string StagingDirectory { get; set; } = "";

    public string ResolvedStateDirectory() => RunEnvironment.Resolve(StateDirectory, run => Path.Combine(run, "firmware"), "/data/firmware");

    public string ResolvedStagingDirectory() =>
        Path.GetFullPath(RunEnvironment.Resolve(StagingDirectory, run => Path.Combine(run, "firmware", "staging"), "/var/lib/reader/firmware/staging"));

    public IEnumerable<string> Validate() => [];

    public FirmwareOptions ToFirmwareOptions() => new()
    {
        SystemConfig = SystemConfig,
        Keyring = Keyring.Length > 0 ? Keyring : null,
        StateDirectory = ResolvedStateDirectory(),
    };
}
