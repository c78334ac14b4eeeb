using System.Diagnostics;
using Reader.Firmware.Rauc;

namespace Reader.Firmware;

/// <summary>Median wall time of FirmwareUpdater.VerifyAsync beside `rauc info --keyring` alone (the peer), same bundle, same run.</summary>
internal static class VerifyBench
{
    public static async Task<BenchFigures> RunAsync(FirmwareUpdater updater, string bundle, string? keyring, int runs, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var ours = new List<double>();
        var peer = new List<double>();
        // One warm-up of each so that page cache and JIT do not favour the second.
        await OnceOursAsync();
        await OncePeerAsync();
        for (int i = 0; i < runs; i++)
        {
            ours.Add(await OnceOursAsync());
            peer.Add(await OncePeerAsync());
        }

        double oursMs = Median(ours), peerMs = Median(peer);
        return new BenchFigures(Path.GetFileName(bundle), new FileInfo(bundle).Length, runs, Math.Round(oursMs, 1), Math.Round(peerMs, 1), Math.Round(oursMs / peerMs, 2));

        async Task<double> OnceOursAsync()
        {
            long start = Stopwatch.GetTimestamp();
            var result = await updater.VerifyAsync(bundle, cancellationToken);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"bench bundle does not verify: {result.Code} {result.Message}");
            }

            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        async Task<double> OncePeerAsync()
        {
            long start = Stopwatch.GetTimestamp();
            var info = await ExternalTool.RunAsync("rauc", ["info", $"--keyring={keyring}", bundle], TimeSpan.FromMinutes(5), null, cancellationToken);
            if (!info.Succeeded)
            {
                throw new InvalidOperationException($"rauc info failed: {info.LastError}");
            }

            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
