using System.Diagnostics;
using System.Globalization;
using Reader.Card.Errors;
using Reader.TestSupport;

namespace Reader.Card.Tests.Support;

/// <summary>
/// The fuzz harness for parsers of card bytes: random inputs and mutations of real seeds by the shared
/// <see cref="ByteMutator"/> (tests/Shared/Fuzz) with its <see cref="MutationProfile.BerTlv"/> profile (bit flips,
/// boundary bytes, inserted, deleted, duplicated and swapped ranges, truncation, rewritten BER lengths, padding). Each input must end
/// in success or a <see cref="CardException"/>; it must not take long (a hang guard, not a speed test) or allocate
/// out of proportion to its size. Seeds are fixed so a failure reproduces; READER_FUZZ_SEED varies them.
/// </summary>
internal static class Fuzzer
{
    /// <summary>Longest one input may take before it counts as a hang (generous: the machine may be busy).</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(5);

    public static int Seed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("READER_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed ^ fallback : fallback;

    /// <summary>
    /// Runs <paramref name="parse"/> on <paramref name="count"/> inputs from <paramref name="next"/>; fails on any
    /// exception other than <see cref="CardException"/>, on a hang, or on allocation beyond
    /// <paramref name="bytesPerInputByte"/> × the input plus a fixed allowance. Returns how many inputs parsed.
    /// </summary>
    public static FuzzReport Run(string name, int count, int seed, Func<Random, byte[]> next, Action<byte[]> parse, int bytesPerInputByte = 8, long fixedAllowance = 64 * 1024)
    {
        var random = new Random(seed);
        var report = new FuzzReport(name, seed);
        var watch = new Stopwatch();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < count; i++)
        {
            var input = next(random);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            watch.Restart();
            try
            {
                parse(input);
                report.Parsed++;
            }
            catch (CardException)
            {
                report.Refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{name} #{i} (seed {seed}): {e.GetType().Name}: {e.Message}\ninput ({input.Length} bytes): {Hex(input)}");
            }

            var took = watch.Elapsed;
            var used = GC.GetAllocatedBytesForCurrentThread() - allocated;
            report.Longest = took > report.Longest ? took : report.Longest;
            report.MostAllocated = Math.Max(report.MostAllocated, used);
            Assert.True(took < HangLimit, $"{name} #{i} (seed {seed}) took {took.TotalSeconds:F1} s on {input.Length} bytes: {Hex(input)}");
            Assert.True(used <= fixedAllowance + ((long)bytesPerInputByte * input.Length),
                $"{name} #{i} (seed {seed}) allocated {used} bytes for {input.Length} input bytes: {Hex(input)}");
        }

        // Nothing kept between inputs.
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - before < 32 * 1024 * 1024, $"{name}: the heap grew by {(after - before) / 1024} KB over the run");
        return report;
    }

    /// <summary>Random bytes, or a mutation of a seed (most of the time).</summary>
    public static byte[] Next(Random random, IReadOnlyList<byte[]> seeds, int maxRandomLength = 64) =>
        ByteMutator.Next(random, seeds, MutationProfile.BerTlv, maxRandomLength);

    private static string Hex(byte[] input) => input.Length <= 96 ? Convert.ToHexString(input) : Convert.ToHexString(input, 0, 96) + "…";
}

internal sealed class FuzzReport(string name, int seed)
{
    public string Name { get; } = name;

    public int Seed { get; } = seed;

    public int Parsed { get; set; }

    public int Refused { get; set; }

    public TimeSpan Longest { get; set; }

    public long MostAllocated { get; set; }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {Parsed + Refused} inputs (seed {Seed}), {Parsed} parsed, {Refused} refused with a card error; longest {Longest.TotalMilliseconds:F1} ms, most allocated {MostAllocated / 1024} KB");
}
