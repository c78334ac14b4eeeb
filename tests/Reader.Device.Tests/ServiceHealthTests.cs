using Reader.Device.Hosting;
using Reader.Protocol.Contract;

namespace Reader.Device.Tests;

/// <summary>
/// What the service's health round turns its problems into: systemd's STATUS= text and the fault names of the retained
/// MQTT status (the checks themselves run against the real parts in the service and chaos tests).
/// </summary>
public sealed class ServiceHealthTests
{
    [Fact]
    public void No_problems_read_ready_and_carry_no_faults()
    {
        Assert.Equal("ready", ServiceHealth.Status([]));
        Assert.Empty(ServiceHealth.Faults([]));
    }

    [Fact]
    public void Problems_read_degraded_with_each_check_and_reason_in_order()
    {
        IReadOnlyList<(string Check, string Reason)> problems =
        [
            ("broker", "not connected (reconnecting; results wait in the outbox)"),
            (ReaderFaults.Pcscd, "no pcscd"),
            (ReaderFaults.DataFolder, "/data is full (12 KiB free)"),
        ];

        Assert.Equal(
            "degraded: broker: not connected (reconnecting; results wait in the outbox); pcscd: no pcscd; data-folder: /data is full (12 KiB free)",
            ServiceHealth.Status(problems));
    }

    [Fact]
    public void Only_contract_fault_names_reach_the_retained_status()
    {
        // The broker's own outage cannot be published through the broker; an unknown check name never leaves the reader.
        IReadOnlyList<(string Check, string Reason)> problems =
        [
            ("broker", "not connected"),
            (ReaderFaults.Camera, "no frame"),
            ("something-new", "?"),
            (ReaderFaults.KioskPage, "no page"),
        ];

        Assert.Equal([ReaderFaults.Camera, ReaderFaults.KioskPage], ServiceHealth.Faults(problems));
        Assert.All(ServiceHealth.Faults(problems), name => Assert.Contains(name, ReaderFaults.All));
    }

    [Fact]
    public void The_limits_leave_room_for_a_write_and_a_browser_reload()
    {
        Assert.True(ServiceHealth.LowSpaceBytes >= 64 * 1024, "a result and a log line must fit above the low-space limit");
        Assert.True(ServiceHealth.PageAbsentLimit >= TimeSpan.FromSeconds(1), "a page reload (under a second) must not count as a crashed browser");
    }
}
