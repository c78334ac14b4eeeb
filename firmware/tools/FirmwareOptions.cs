namespace Reader.Firmware;

/// <summary>Where the device keeps its update configuration and state. Defaults are the device's paths.</summary>
public sealed record FirmwareOptions
{
    /// <summary>RAUC system configuration; its <c>[system] compatible</c> is the device's compatible string.</summary>
    public string SystemConfig { get; init; } = "/etc/rauc/system.conf";

    /// <summary>Trusted signing CA certificate(s), PEM. Null: the keyring named in the system configuration.</summary>
    public string? Keyring { get; init; }

    /// <summary>
    /// The anti-rollback state: the security floor and the per-slot security versions, shared with the RAUC handlers.
    /// Root's alone (folder and files owned by root, writable by nobody else): the service can read it, never lower it.
    /// </summary>
    public string StateDirectory { get; init; } = "/data/firmware";

    /// <summary>Who must own the floor: root (0). Only tests that run unprivileged name themselves.</summary>
    public uint FloorOwner { get; init; }

    /// <summary>The rauc executable.</summary>
    public string Rauc { get; init; } = "rauc";

    /// <summary>The unsquashfs executable (reads the release manifest from a verified bundle).</summary>
    public string Unsquashfs { get; init; } = "unsquashfs";

    /// <summary>Extra environment for rauc (tests point DBUS_SYSTEM_BUS_ADDRESS at their own bus).</summary>
    public IReadOnlyDictionary<string, string> RaucEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Upper bound for verification (rauc info + payload hash).</summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound for writing a slot.</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(30);
}
