using System.Globalization;
using System.Text.Json;
using Reader.Reliability.Tests.Clinic;
using Reader.Reliability.Tests.Soak;

namespace Reader.Reliability.Tests;

/// <summary>
/// The test assembly doubles as the full-size runs of issue 14's proofs: <c>--bench soak [--sessions N]</c>
/// (<c>./reader bench soak</c>), <c>--bench chaos</c>, <c>--bench fleet</c> and <c>--privacy-scan</c>. Progress goes
/// to stderr; the last stdout line is one JSON object; the exit code is 1 when a goal is missed.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (ClinicRig.Unavailable() is { } reason)
        {
            await Console.Error.WriteLineAsync($"reliability: {reason}");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        switch (args)
        {
            case ["--bench", "soak", ..]:
                var soak = await SoakBench.RunAsync(IntArg(args, "--sessions", 10_000), Console.Error, cancel.Token);
                Console.Error.WriteLine($"[bench soak] failures: {string.Join("; ", soak.FailureKinds.DefaultIfEmpty("none"))}");
                return Emit(soak.Json, soak.GoalsMet);
            case ["--bench", "chaos", ..]:
                var chaos = await Chaos.ChaosBench.RunAsync(new Chaos.ChaosOptions(TimeSpan.FromSeconds(IntArg(args, "--broker-outage", 30)), IntArg(args, "--kills", 50)), Console.Error, cancel.Token);
                return Emit(chaos.Json, chaos.GoalsMet);
            case ["--bench", "fleet", ..]:
                var fleet = await Fleet.FleetBench.RunAsync(IntArg(args, "--readers", 500), IntArg(args, "--results-per-reader", 4), Console.Error, cancel.Token);
                return Emit(fleet.Json, fleet.GoalsMet);
            case ["--privacy-scan", ..]:
                var scan = await Privacy.PrivacyScanRun.RunAsync(IntArg(args, "--sessions", 100), Console.Error, cancel.Token);
                return Emit(scan.Json, scan.GoalsMet);
            default:
                await Console.Error.WriteLineAsync("This is a test assembly: run it with dotnet test, or with --bench soak [--sessions N] (./reader bench soak) or --privacy-scan [--sessions N] (./reader privacy-scan).");
                return 2;
        }
    }

    internal static int Emit(IReadOnlyDictionary<string, object> json, bool goalsMet)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(json));
        return goalsMet ? 0 : 1;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
