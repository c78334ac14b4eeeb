using System.Diagnostics;
using System.Globalization;
using Reader.Card.Errors;

namespace Reader.Card.Tests.Support;

/// <summary>
/// A small mutation fuzzer for parsers of card bytes: random inputs and mutations of real seeds (bit flips, boundary
/// bytes, inserted, deleted, duplicated and swapped ranges, truncation, rewritten BER lengths). Each input must end
/// in success or a <see cref="CardException"/>; it must not take long (a hang guard, not a speed test) or allocate
/// out of proportion to its size. Seeds are fixed so a failure reproduces; READER_FUZZ_SEED varies them.
/// </summary>
internal static class Fuzzer
{
    /// <summary>Longest one input may take before it counts as a hang (generous: the machine may be busy).</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(5);

    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFE, 0xFF];

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
    public static byte[] Next(Random random, IReadOnlyList<byte[]> seeds, int maxRandomLength = 64)
    {
        if (random.Next(20) == 0)
        {
            var noise = new byte[random.Next(maxRandomLength + 1)];
            random.NextBytes(noise);
            return noise;
        }

        return Mutate(random, seeds[random.Next(seeds.Count)]);
    }

    public static byte[] Mutate(Random random, byte[] seed)
    {
        var data = new List<byte>(seed);
        var operations = 1 + random.Next(4);
        for (var n = 0; n < operations; n++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(10))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    var inserted = new byte[1 + random.Next(8)];
                    random.NextBytes(inserted);
                    data.InsertRange(at, inserted);
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                    break;
                case 4 when data.Count > 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 5 when data.Count > 2:
                    {
                        // A copy of one range elsewhere (a duplicated object, a repeated header).
                        var from = random.Next(data.Count);
                        var length = Math.Min(data.Count - from, 1 + random.Next(300));
                        data.InsertRange(at, data.GetRange(from, length));
                        break;
                    }

                case 6 when data.Count > 4:
                    {
                        // Two ranges swapped (objects out of order).
                        var length = 1 + random.Next(Math.Min(400, data.Count / 2));
                        var a = random.Next(data.Count - length + 1);
                        var b = random.Next(data.Count - length + 1);
                        var first = data.GetRange(a, length);
                        var second = data.GetRange(b, length);
                        for (var i = 0; i < length; i++)
                        {
                            data[a + i] = second[i];
                        }

                        for (var i = 0; i < length; i++)
                        {
                            data[b + i] = first[i];
                        }

                        break;
                    }

                case 7 when data.Count > 0:
                    {
                        // A BER length rewritten: after a long-form marker, or any byte read as a short length.
                        var marker = data.FindIndex(at, b => b is 0x81 or 0x82 or 0x83);
                        var target = marker >= 0 ? marker : at;
                        data[target] = Interesting[random.Next(Interesting.Length)];
                        for (var i = 1; i <= 3 && target + i < data.Count; i++)
                        {
                            data[target + i] = (byte)random.Next(256);
                        }

                        break;
                    }

                case 8:
                    data.AddRange(Enumerable.Repeat(random.Next(2) == 0 ? (byte)0xFF : (byte)0x00, 1 + random.Next(32)));
                    break;
                default:
                    if (data.Count > 0)
                    {
                        data[at] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return [.. data];
    }

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
