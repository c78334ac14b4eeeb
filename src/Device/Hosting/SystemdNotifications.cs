using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace Reader.Device.Hosting;

/// <summary>
/// The service's messages to systemd (Type=notify), sent through Microsoft.Extensions.Hosting.Systemd's
/// <see cref="ISystemdNotifier"/> (a datagram to <c>$NOTIFY_SOCKET</c>; nothing without one). The service keeps its own
/// start-up order rather than the generic host's (READY only when the link is up: see <c>ReaderService.RunAsync</c>), so it
/// uses the package's notifier directly instead of <c>UseSystemd()</c>, which would say READY when the host started.
/// </summary>
internal static class SystemdNotifications
{
    public static void Ready(this ISystemdNotifier systemd, string status) => systemd.Notify(new ServiceState($"READY=1\nSTATUS={status}"));

    /// <summary>STATUS= alone (what <c>systemctl status</c> shows), e.g. a dependency that is down.</summary>
    public static void Status(this ISystemdNotifier systemd, string status) => systemd.Notify(new ServiceState($"STATUS={status}"));

    public static void Watchdog(this ISystemdNotifier systemd) => systemd.Notify(new ServiceState("WATCHDOG=1"));

    public static void Stopping(this ISystemdNotifier systemd) => systemd.Notify(ServiceState.Stopping);

    /// <summary>
    /// How often systemd expects WATCHDOG=1 (<c>WATCHDOG_USEC</c>, for this process when <c>WATCHDOG_PID</c> is set),
    /// or null when the service is not watched (sd_watchdog_enabled(3)).
    /// </summary>
    public static TimeSpan? WatchdogInterval(string? usec, string? pid)
    {
        if (string.IsNullOrEmpty(usec) || !long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) || micros <= 0)
        {
            return null;
        }

        return !string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
            ? null
            : TimeSpan.FromMicroseconds(micros);
    }

    public static TimeSpan? WatchdogInterval() =>
        WatchdogInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"));
}
