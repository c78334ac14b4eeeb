using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Reader.Card.MyNumber;
using Reader.Card.Pcsc;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Pcscd;
using Reader.HardwareSim.Vpcd;

namespace Reader.EndToEnd.Tests.Bench;

/// <summary>
/// <c>--bench pcsc</c>: what each PC/SC step before and between a session's APDUs costs the host, on a private pcscd +
/// vpcd with the virtual card unpaced (its own work is taken out per APDU by its link's timestamps). Per round: a new
/// context (SCardEstablishContext), connect (SCardConnect), the ATR (SCardStatus), the reader's part 10 properties
/// (two SCardControl), the auth certificate's X.509 parse (CPU only: the session's step between its READ and the
/// PIN status), then the session's first APDUs (SELECT JPKI AP, SELECT EF, READ BINARY) each split into the
/// card's time and the host's (client's round trip − card held). The session path spends establish and status no longer
/// (context made ahead, ATR asked only when wanted): they are printed beside connect as what that saves. Minimum and p50
/// over the rounds: the minimum is the cost without the machine's other load.
/// </summary>
internal static class PcscPathBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args is [.., "--rounds", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 200;
        if (!PcscdInstance.CanRunPrivate(out var reason))
        {
            await Console.Error.WriteLineAsync($"bench pcsc: {reason}");
            return 2;
        }

        var folder = Path.Combine(Path.GetTempPath(), $"reader-bench-pcsc-{Environment.ProcessId}");
        await using var pcscd = await PcscdInstance.StartPrivateAsync(folder, [PcscdInstance.ExtendedApduReader, null], CancellationToken.None);
        pcscd.UseInThisProcess();
        await using var readers = new VirtualReaders(pcscd.VpcdBasePort, 2);
        var card = readers.GetOrCreateCard("bench-pcsc");
        await readers.InsertAsync(0, card);
        const string Reader = "Virtual PCD 00 00";
        await WaitForCardAsync(Reader);

        var steps = new Dictionary<string, List<double>>();
        void Add(string step, double ms) => (steps.TryGetValue(step, out var list) ? list : steps[step] = []).Add(ms);
        byte[][] apdus =
        [
            [0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01],
            [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x06],
            [0x00, 0xB0, 0x00, 0x00, 0x20],
        ];
        var response = new byte[65538];
        for (var round = 0; round < rounds; round++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var context = PcscContext.Establish();
            var t1 = Stopwatch.GetTimestamp();
            using var channel = PcscCardChannel.Open(context, Reader);
            channel.UnpowerOnDispose = false;
            var t2 = Stopwatch.GetTimestamp();
            _ = channel.Atr;
            var t3 = Stopwatch.GetTimestamp();
            _ = channel.MaxApduDataSize;
            var t4 = Stopwatch.GetTimestamp();
            Add("establish context", Ms(t0, t1));
            Add("connect", Ms(t1, t2));
            Add("ATR (SCardStatus)", Ms(t2, t3));
            Add("part 10 properties (2 SCardControl)", Ms(t3, t4));
            var parsing = Stopwatch.GetTimestamp();
            _ = JpkiCertificate.Parse(card.Identity.AuthCertificate);
            Add("auth certificate parse (X.509, no I/O)", Ms(parsing, Stopwatch.GetTimestamp()));
            for (var i = 0; i < apdus.Length; i++)
            {
                var before = readers.ExchangesIn(0).Count;
                var sent = Stopwatch.GetTimestamp();
                await channel.TransmitAsync(apdus[i], response, CancellationToken.None);
                var back = Stopwatch.GetTimestamp();
                var exchanges = readers.ExchangesIn(0);
                if (exchanges.Count != before + 1)
                {
                    continue; // a power cycle in between (pcscd): not this APDU's figure
                }

                var held = exchanges[^1].HeldMs;
                Add("APDU round trip (client)", Ms(sent, back));
                Add("APDU card held (sim)", held);
                Add("APDU host (round trip − card held)", Ms(sent, back) - held);
                Add("  command: client call → card has it", Ms(sent, exchanges[^1].Received));
                Add("  answer: card sent → client has it", Ms(exchanges[^1].Answered, back));
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"PC/SC step, ms",-44} {"min",8} {"p50",8} {"p90",8}"));
        var result = new Dictionary<string, object>();
        foreach (var (step, values) in steps)
        {
            values.Sort();
            double P(double q) => values[Math.Clamp((int)Math.Ceiling(q * values.Count) - 1, 0, values.Count - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{step,-44} {values[0],8:F3} {P(0.5),8:F3} {P(0.9),8:F3}"));
            var key = new string([.. step.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]).Replace("__", "_", StringComparison.Ordinal).Trim('_');
            result[key + "_min_ms"] = Math.Round(values[0], 3);
            result[key + "_p50_ms"] = Math.Round(P(0.5), 3);
        }

        result["rounds"] = rounds;
        result["load_average_1m"] = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task WaitForCardAsync(string reader)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var channel = PcscCardChannel.Open(reader);
                channel.UnpowerOnDispose = false;
                return;
            }
            catch (PcscException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}
