using System.Globalization;
using System.Text.RegularExpressions;
using Reader.Device.Hosting;

namespace Reader.Device.Tests;

/// <summary>The start-up line a technician reads in the journal: phases in the order they ended, seconds since exec.</summary>
public sealed partial class StartupTimelineTests
{
    [Fact]
    public void Phases_are_listed_in_the_order_they_ended_from_main_on()
    {
        var timeline = new StartupTimeline();
        timeline.Mark("kiosk");
        timeline.Mark("link");
        timeline.Mark("ready");

        var marks = Mark().Matches(timeline.ToString()).Select(m => (Phase: m.Groups[1].Value, Seconds: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(["main", "kiosk", "link", "ready"], marks.Select(m => m.Phase));
        Assert.All(marks, m => Assert.True(m.Seconds >= 0, $"{m.Phase} before the process started"));
        Assert.True(marks.Zip(marks.Skip(1)).All(pair => pair.First.Seconds <= pair.Second.Seconds), "a later phase ended earlier: " + timeline);
        Assert.True(timeline.Now >= marks[^1].Seconds);
    }

    [Fact]
    public void The_line_is_the_same_in_every_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var timeline = new StartupTimeline();
            timeline.Mark("kiosk");
            Assert.Matches(@"^main \d+\.\d\d s, kiosk \d+\.\d\d s$", timeline.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public async Task Marks_from_several_threads_are_all_kept()
    {
        var timeline = new StartupTimeline();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => timeline.Mark($"part{i}"))));
        var phases = Mark().Matches(timeline.ToString()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(9, phases.Count);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"part{i}").Order(StringComparer.Ordinal), phases.Skip(1).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"(\w+) (\d+\.\d\d) s")]
    private static partial Regex Mark();
}
