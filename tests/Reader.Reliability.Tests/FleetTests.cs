using Reader.Reliability.Tests.Fleet;
using Xunit.Abstractions;

namespace Reader.Reliability.Tests;

/// <summary>The fleet at CI size: 500 readers on one clinic mosquitto bridged to a regional one, one result each.</summary>
public sealed class FleetTests(ITestOutputHelper output)
{
    [RigFact]
    public async Task Five_hundred_readers_results_reach_the_regional_subscriber_through_the_bridge_once_each()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var progress = new StringWriter();
        var report = await FleetBench.RunAsync(500, 1, progress, timeout.Token);
        output.WriteLine(progress.ToString());
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(report.Json));

        Assert.Equal(500, report.Results);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(0, report.ClinicLost);
        Assert.Equal(0, report.ClinicDuplicates);
        Assert.True(report.P99Ms > 0);
    }
}
