using Xunit.Abstractions;
using Reader.Reliability.Tests.Soak;

namespace Reader.Reliability.Tests;

/// <summary>The soak at CI size: 1,000 face and PIN sessions through reader-device run.</summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    [RigFact]
    public async Task A_thousand_sessions_lose_nothing_duplicate_nothing_and_leave_memory_fds_and_threads_flat()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(40));
        var progress = new StringWriter();
        var report = await SoakBench.RunAsync(1000, progress, timeout.Token);
        output.WriteLine(progress.ToString());
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(report.Json));

        Assert.Equal(1000, report.Sessions);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicates);
        // Every patient gets through: the scripted patient presses only on the screen it saw (a press refused as stale while
        // the screen changed is pressed again on that screen's newest version, never on another screen).
        output.WriteLine("visits not finished: " + report.Failed + " (" + string.Join("; ", report.FailureKinds) + ")");
        Assert.True(report.Failed == 0, "patients could not get through: " + string.Join("; ", report.FailureKinds));
        Assert.True(report.RssGrowth <= SoakReport.RssGoal, $"resident memory grew {report.RssGrowth:P1} after warm-up ({report.RssBaselineMb:F1} → {report.RssFinalMb:F1} MB)");
        Assert.True(report.FdGrowth <= SoakReport.FdGoal, $"open file descriptors grew by {report.FdGrowth} (from {report.FdBaseline})");
        Assert.True(report.ThreadGrowth <= SoakReport.ThreadGoal, $"threads grew by {report.ThreadGrowth} (from {report.ThreadBaseline}); by name: " + string.Join(", ", report.ThreadGrowthByName.Select(g => $"{g.Key} {g.Value:+0;-0}")));
    }
}
