using System.Net;
using Reader.Kiosk.Voice;

namespace Reader.Kiosk.Hosting;

/// <summary>How the kiosk page is served. Loopback only: the touchscreen's browser runs on the same board.</summary>
public sealed record KioskHostOptions
{
    /// <summary>A loopback address (127.0.0.0/8 or ::1); anything else is refused at start.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port (tests); the device uses the fixed default the kiosk browser opens.</summary>
    public int Port { get; init; } = 8790;

    /// <summary>A folder to serve the page from instead of the copy inside the assembly (for working on the page).</summary>
    public string? StaticRoot { get; init; }

    public VoiceOptions Voice { get; init; } = new();

    /// <summary>An SSE comment is sent this often so a dead connection is noticed and proxies keep it open.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The per-boot key file that binds the page to the kiosk browser (the launcher reads it and opens
    /// <see cref="KioskHost.PageAddress"/>'s form, <c>/?key=…</c>): reused while it holds a valid key, else written
    /// anew (0600). Null: a key for this host alone. There is no way to serve <c>/api/*</c> without a key.
    /// </summary>
    public string? AccessKeyFile { get; init; }

    /// <summary>The largest action body accepted; actions are tiny.</summary>
    public int MaxActionBytes { get; init; } = 4096;

    internal void Validate()
    {
        if (!IPAddress.IsLoopback(Address))
        {
            throw new ArgumentException($"The kiosk listens on loopback only, not {Address}.", nameof(Address));
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "A TCP port is 0 to 65535.");
        }

        if (StaticRoot is not null && !Directory.Exists(StaticRoot))
        {
            throw new DirectoryNotFoundException($"The kiosk static root {StaticRoot} does not exist.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || MaxActionBytes < 64)
        {
            throw new ArgumentException("The heartbeat must be positive and actions need at least 64 bytes.");
        }
    }
}
