using System.Globalization;
using Reader.Device.Hosting.Sections;
using Reader.Device.Hosting.SelfTest;
using Reader.Kiosk.Hosting;
using Reader.Protocol.Contract;

namespace Reader.Device.Hosting;

/// <summary>
/// The running service's own view of its dependencies, cheap enough to run every second: what systemd's STATUS=
/// shows during a fault (<c>systemctl status reader</c>: "degraded: broker: not connected; …"), the names in the
/// retained MQTT status (<c>faults</c>), and what the log says when it changes. The broker link, pcscd, free space for the outbox and the logs, the touchscreen's browser, and
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

    /// <summary>Every dependency that is down now (its check's name and the reason); empty when all are well.</summary>
    public async Task<IReadOnlyList<(string Check, string Reason)>> ProblemsAsync(CancellationToken cancellationToken)
    {
        var problems = new List<(string, string)>();
        if (!runtime.LinkConnected())
        {
            problems.Add(("broker", "not connected (reconnecting; results wait in the outbox)"));
        }

        var pcscd = await new PcscServiceCheck().RunAsync(cancellationToken);
        if (!pcscd.Ok)
        {
            problems.Add((ReaderFaults.Pcscd, pcscd.Detail));
        }

        AddLowSpace(problems, ReaderFaults.DataFolder, protocol.ResolvedDataDirectory());
        AddLowSpace(problems, ReaderFaults.LogFolder, logging.ResolvedFolder());
        if (pages() is { } kiosk && kiosk.Connected == 0 && kiosk.Absent > PageAbsentLimit)
        {
            problems.Add((ReaderFaults.KioskPage, "no touchscreen page follows the kiosk (the kiosk browser is not running)"));
        }

        if (round++ % 5 == 0 || lastCameraProblem is not null)
        {
            var frame = await CameraCheck.FirstFrameAsync(camera.ResolvedSource(), runtime, cancellationToken);
            lastCameraProblem = frame.Ok ? null : frame.Detail;
        }

        if (lastCameraProblem is not null)
        {
            problems.Add((ReaderFaults.Camera, lastCameraProblem));
        }

        return problems;
    }

    private string? lastCameraProblem;

    /// <summary>The systemd STATUS= text for a list of problems.</summary>
    public static string Status(IReadOnlyList<(string Check, string Reason)> problems) =>
        problems.Count == 0 ? "ready" : "degraded: " + string.Join("; ", problems.Select(p => p.Check + ": " + p.Reason));

    /// <summary>The names for the retained MQTT status (the broker's own outage cannot be published there).</summary>
    public static IReadOnlyList<string> Faults(IReadOnlyList<(string Check, string Reason)> problems) =>
        [.. problems.Select(p => p.Check).Where(ReaderFaults.All.Contains)];

    private static void AddLowSpace(List<(string, string)> problems, string check, string folder)
    {
        try
        {
            var free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
            if (free < LowSpaceBytes)
            {
                problems.Add((check, string.Create(CultureInfo.InvariantCulture, $"{folder} is full ({free / 1024} KiB free)")));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            problems.Add((check, $"{folder}: {e.Message}"));
        }
    }
}
