using System.Globalization;
using Reader.Device.Hosting.SelfTest;
using Reader.Kiosk.Hosting;

namespace Reader.Device.Hosting;

/// <summary>
/// The running service's own view of its dependencies, cheap enough to run every second: what systemd's STATUS=
/// shows during a fault (<c>systemctl status reader</c>: "degraded: broker: not connected; …") and what the log says
/// when it changes. The broker link, pcscd, free space for the outbox and the logs, the touchscreen's browser, and
/// (while no patient is at the reader, every few rounds) a frame from the patient camera.
/// </summary>
internal sealed class ServiceHealth(
    ProtocolOptions protocol,
    LoggingOptions logging,
    CameraOptions camera,
    ServiceRuntime runtime,
    Func<KioskPages?> pages)
{
    /// <summary>Below this the outbox or the log cannot take another write safely.</summary>
    public const long LowSpaceBytes = 512 * 1024;

    /// <summary>How long no page may follow the kiosk before the browser counts as gone (a reload takes under a second).</summary>
    public static readonly TimeSpan PageAbsentLimit = TimeSpan.FromSeconds(2);

    private int round;

    /// <summary>"check: reason" for every dependency that is down now; empty when all are well.</summary>
    public async Task<IReadOnlyList<string>> ProblemsAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (!runtime.LinkConnected())
        {
            problems.Add("broker: not connected (reconnecting; results wait in the outbox)");
        }

        var pcscd = await new PcscServiceCheck().RunAsync(cancellationToken);
        if (!pcscd.Ok)
        {
            problems.Add("pcscd: " + pcscd.Detail);
        }

        AddLowSpace(problems, "data-folder", protocol.ResolvedDataDirectory());
        AddLowSpace(problems, "log-folder", logging.ResolvedFolder());
        if (pages() is { } kiosk && kiosk.Connected == 0 && kiosk.Absent > PageAbsentLimit)
        {
            problems.Add("kiosk-page: no touchscreen page follows the kiosk (the kiosk browser is not running)");
        }

        if (round++ % 5 == 0 || lastCameraProblem is not null)
        {
            var frame = await CameraCheck.FirstFrameAsync(camera.ResolvedSource(), runtime, cancellationToken);
            lastCameraProblem = frame.Ok ? null : "camera: " + frame.Detail;
        }

        if (lastCameraProblem is not null)
        {
            problems.Add(lastCameraProblem);
        }

        return problems;
    }

    private string? lastCameraProblem;

    /// <summary>The systemd STATUS= text for a list of problems.</summary>
    public static string Status(IReadOnlyList<string> problems) => problems.Count == 0 ? "ready" : "degraded: " + string.Join("; ", problems);

    private static void AddLowSpace(List<string> problems, string check, string folder)
    {
        try
        {
            var free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
            if (free < LowSpaceBytes)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{check}: {folder} is full ({free / 1024} KiB free)"));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            problems.Add($"{check}: {folder}: {e.Message}");
        }
    }
}
