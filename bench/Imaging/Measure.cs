using System.Diagnostics;
using Reader.Imaging.Bench.Interop.Libc;

namespace Reader.Imaging.Bench;

/// <summary>
/// Median time of repeated single-threaded runs after a warm-up. Measured as the calling thread's
/// CPU time (CLOCK_THREAD_CPUTIME_ID), so other processes competing for the 2 cores inflate the
/// figures far less than wall time would; ours and the peer run alternately in the same process.
/// </summary>
internal static unsafe class Measure
{
    internal static double MedianMilliseconds(Action run, int iterations, int warmup = 5)
    {
        for (int i = 0; i < warmup; i++)
        {
            run();
        }

        var samples = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            double start = ThreadMilliseconds();
            run();
            samples[i] = ThreadMilliseconds() - start;
        }

        Array.Sort(samples);
        return samples[iterations / 2];
    }

    /// <summary>Wall-clock median, for figures that include waiting (none of the current cases).</summary>
    internal static double WallMedianMilliseconds(Action run, int iterations)
    {
        var samples = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples[iterations / 2];
    }

    private static double ThreadMilliseconds()
    {
        Libc.timespec now;
        if (Libc.clock_gettime(Libc.CLOCK_THREAD_CPUTIME_ID, &now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return (now.tv_sec * 1e3) + (now.tv_nsec / 1e6);
    }
}
