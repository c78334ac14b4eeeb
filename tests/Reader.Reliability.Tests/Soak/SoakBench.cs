using System.Diagnostics;
using System.Globalization;
using Reader.Reliability.Tests.Clinic;

namespace Reader.Reliability.Tests.Soak;

/// <summary>What a soak run measured; <see cref="Json"/> is the bench's last line.</summary>
internal sealed record SoakReport
{
    public required int Sessions { get; init; }

    public required int WarmUp { get; init; }

    public required int Done { get; init; }

    public required int Failed { get; init; }

    public required int FaceFallbacks { get; init; }

    public required int Lost { get; init; }

    public required int Duplicates { get; init; }

    public required int UnmatchedResults { get; init; }

    public required double RssGrowth { get; init; }

    public required double RssBaselineMb { get; init; }

    public required double RssFinalMb { get; init; }

    public required double RssSlopeMbPer1000 { get; init; }

    public required double FdGrowth { get; init; }

    public required double ThreadGrowth { get; init; }

    /// <summary>Growth by thread name, where it is not zero (see <see cref="ProcessSample.ThreadsByName"/>).</summary>
    public required IReadOnlyDictionary<string, double> ThreadGrowthByName { get; init; }

    public required double FdBaseline { get; init; }

    public required double ThreadBaseline { get; init; }

    public required double SessionP50Seconds { get; init; }

    public required double SessionP99Seconds { get; init; }

    public required double Minutes { get; init; }

    public required IReadOnlyList<string> FailureKinds { get; init; }

    /// <summary>Mean CPU ms per session by method (face, pin) and process (reader, rig, pcscd, broker), after the warm-up.</summary>
    public required IReadOnlyDictionary<string, object> CpuMsPerSession { get; init; }

    public required double SecondsPerSession { get; init; }

    public const double RssGoal = 0.05;
    public const double FdGoal = 2;
    public const double ThreadGoal = 2;

    public bool GoalsMet => Lost == 0 && Duplicates == 0 && RssGrowth <= RssGoal && FdGrowth <= FdGoal && ThreadGrowth <= ThreadGoal;

    public IReadOnlyDictionary<string, object> Json => new Dictionary<string, object>
    {
        ["sessions"] = Sessions,
        ["rss_growth"] = Stats.Round(RssGrowth, 4),
        ["fd_growth"] = Stats.Round(FdGrowth, 1),
        ["thread_growth"] = Stats.Round(ThreadGrowth, 1),
        ["thread_growth_by_name"] = ThreadGrowthByName,
        ["lost"] = Lost,
        ["duplicates"] = Duplicates,
        ["done"] = Done,
        ["failed"] = Failed,
        ["face_fell_back_to_pin"] = FaceFallbacks,
        ["unmatched_results"] = UnmatchedResults,
        ["warm_up_sessions"] = WarmUp,
        ["rss_baseline_mb"] = Stats.Round(RssBaselineMb, 1),
        ["rss_final_mb"] = Stats.Round(RssFinalMb, 1),
        ["rss_slope_mb_per_1000"] = Stats.Round(RssSlopeMbPer1000, 2),
        ["fd_baseline"] = Stats.Round(FdBaseline, 1),
        ["thread_baseline"] = Stats.Round(ThreadBaseline, 1),
        ["session_p50_s"] = Stats.Round(SessionP50Seconds),
        ["session_p99_s"] = Stats.Round(SessionP99Seconds),
        ["minutes"] = Stats.Round(Minutes, 1),
        ["s_per_session"] = Stats.Round(SecondsPerSession, 2),
        ["cpu_ms_per_session"] = CpuMsPerSession,
        ["goal_rss_growth"] = RssGoal,
        ["goal_fd_growth"] = FdGoal,
        ["goal_thread_growth"] = ThreadGoal,
        ["goals_met"] = GoalsMet,
    };
}

/// <summary>
/// <c>./reader bench soak [--sessions N]</c>: N patients one after another (face and PIN alternately, four virtual
/// cards, consent to all) through <c>reader-device run</c> on the simulator, driven over the kiosk's own HTTP API (no
/// browser). After a warm-up (a tenth of the run), the reader process's resident memory, open file descriptors and
/// threads are sampled from /proc at idle a hundred times; growth compares the median of the last five samples with
/// the median of the first five (medians, so one garbage collection does not decide). Threads are compared at rest
/// instead: the runtime's thread pool adds and retires workers as its load changes (measured wandering between 5 and 10
/// on two cores within one run), so the reader idles <see cref="Rest"/> after the warm-up and after the last session,
/// long enough for the pool to retire the workers it no longer needs, and the counts then are compared: a thread that
/// leaked, blocked or kept by someone, does not retire. Every patient told "done" must have exactly one result at the
/// terminal.
/// </summary>
internal static class SoakBench
{
    // PINs with a leading zero: a number a log prints is never written like that, so the privacy scan can look for them.
    public static readonly (string Card, string Pin)[] Cards = [("soak-a", "0472"), ("soak-b", "0815"), ("soak-c", "0936"), ("soak-d", "0358")];

    /// <summary>The pool retires a worker idle for 20 s (the runtime's default); a few seconds more for the last one's turn.</summary>
    private static readonly TimeSpan Rest = TimeSpan.FromSeconds(25);

    public static async Task<SoakReport> RunAsync(int sessions, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sessions, 20);
        var folder = Directory.CreateTempSubdirectory("reader-soak-").FullName;
        try
        {
            await using var rig = await ClinicRig.StartAsync(folder, new ClinicOptions(), cancellationToken);
            await rig.StartReaderAsync(cancellationToken);
            return await SoakAsync(rig, sessions, progress, cancellationToken);
        }
        finally
        {
            TryDelete(folder);
        }
    }

    private static async Task<SoakReport> SoakAsync(ClinicRig rig, int sessions, TextWriter progress, CancellationToken cancellationToken)
    {
        var warmUp = Math.Max(10, sessions / 10);
        var sampleEvery = Math.Max(1, (sessions - warmUp) / 100);
        var visits = new List<Visit>(sessions);
        var samples = new List<(int Session, ProcessSample Sample)>();
        var cpu = new CpuLedger();
        var clock = Stopwatch.StartNew();
        var rested = TimeSpan.Zero;
        ProcessSample? restedBefore = null;
        progress.WriteLine($"[bench soak] reader {rig.ReaderId} (pid {rig.Reader.Pid}) ready; {sessions} sessions, face and PIN alternately, warm-up {warmUp}, a sample every {sampleEvery}");
        for (var i = 0; i < sessions; i++)
        {
            var (cardId, pin) = Cards[i % Cards.Length];
            var before = CpuNow(rig);
            var visit = await rig.Patient.VisitAsync(rig.Card(cardId, pin), pin, i % 2 == 0 ? "face" : "pin", cancellationToken);
            visits.Add(visit);
            if (i >= warmUp)
            {
                cpu.Add(visit.Method, before, CpuNow(rig));
            }

            if (rig.Reader.HasExited)
            {
                throw new InvalidOperationException($"the reader exited during session {i + 1} (see {rig.OutputFile})");
            }

            if (i + 1 == warmUp)
            {
                restedBefore = await RestedSampleAsync(rig, progress, cancellationToken);
                rested += Rest;
            }

            if (i + 1 >= warmUp && (i + 1 - warmUp) % sampleEvery == 0 && rig.Reader.Sample() is { } sample)
            {
                samples.Add((i + 1, sample));
            }

            if ((i + 1) % Math.Max(1, sessions / 20) == 0)
            {
                var last = samples.Count > 0 ? samples[^1].Sample : null;
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[bench soak] {i + 1}/{sessions} sessions in {clock.Elapsed.TotalMinutes:F1} min; done {visits.Count(v => v.Succeeded)}, failed {visits.Count(v => !v.Succeeded)}; delivered {rig.Ledger.Count}; rss {last?.RssBytes / 1048576.0:F1} MB, fds {last?.OpenFds}, threads {last?.Threads} ({Names(last)})"));
            }
        }

        var restedAfter = await RestedSampleAsync(rig, progress, cancellationToken);
        rested += Rest;

        // Results acknowledged or not: give the last ones time to arrive before counting.
        var expected = visits.Count(v => v.Succeeded);
        await rig.Ledger.WaitUntilAsync(l => VisitAudit.Check(visits, l).Lost == 0, TimeSpan.FromSeconds(60), cancellationToken);
        var audit = VisitAudit.Check(visits, rig.Ledger);
        progress.WriteLine($"[bench soak] {expected} results expected, {rig.Ledger.Count} delivered; lost {audit.Lost}, duplicates {audit.Duplicates}, unmatched {audit.UnmatchedResults}");
        return Report(sessions, warmUp, visits, samples, (restedBefore, restedAfter), audit, clock.Elapsed - rested, cpu);
    }

    private static async Task<ProcessSample> RestedSampleAsync(ClinicRig rig, TextWriter progress, CancellationToken cancellationToken)
    {
        await Task.Delay(Rest, cancellationToken);
        var sample = rig.Reader.Sample()
            ?? throw new InvalidOperationException($"the reader exited while it rested (see {rig.OutputFile})");
        progress.WriteLine($"[bench soak] after {Rest.TotalSeconds:F0} s at rest: threads {sample.Threads} ({Names(sample)})");
        return sample;
    }

    /// <summary>CPU ms so far of each process of the clinic (this rig's own process alone: its children are the others).</summary>
    private static Dictionary<string, double> CpuNow(ClinicRig rig) => new()
    {
        ["reader"] = ProcessCpu.Milliseconds(rig.Reader.Pid),
        ["rig"] = ProcessCpu.Milliseconds(Environment.ProcessId, tree: false),
        ["pcscd"] = ProcessCpu.Milliseconds(rig.Pcscd.ProcessId),
        ["broker"] = ProcessCpu.Milliseconds(rig.Broker.ProcessId),
    };

    private static SoakReport Report(int sessions, int warmUp, List<Visit> visits, List<(int Session, ProcessSample Sample)> samples, (ProcessSample? Before, ProcessSample? After) rested, AuditOutcome audit, TimeSpan elapsed, CpuLedger cpu)
    {
        static double MedianOf(IEnumerable<(int Session, ProcessSample Sample)> window, Func<ProcessSample, double> value) => Stats.Median(window.Select(s => value(s.Sample)));
        var first = samples.Take(5).ToList();
        var last = samples.TakeLast(5).ToList();
        var rssBase = MedianOf(first, s => s.RssBytes);
        var rssFinal = MedianOf(last, s => s.RssBytes);
        var durations = visits.Where(v => v.Succeeded).Select(v => Stats.Seconds(v.PlacedAt, v.DoneAt)).ToList();
        return new SoakReport
        {
            Sessions = sessions,
            WarmUp = warmUp,
            Done = audit.Done,
            Failed = visits.Count(v => !v.Succeeded),
            FaceFallbacks = visits.Count(v => v.Method == "face" && (v.FaceFailures > 0 || v.FaceNotOffered)),
            Lost = audit.Lost,
            Duplicates = audit.Duplicates,
            UnmatchedResults = audit.UnmatchedResults,
            RssGrowth = rssBase > 0 ? (rssFinal - rssBase) / rssBase : double.NaN,
            RssBaselineMb = rssBase / 1048576.0,
            RssFinalMb = rssFinal / 1048576.0,
            RssSlopeMbPer1000 = Stats.Slope([.. samples.Select(s => ((double)s.Session, s.Sample.RssBytes / 1048576.0))]) * 1000,
            FdGrowth = MedianOf(last, s => s.OpenFds) - MedianOf(first, s => s.OpenFds),
            ThreadGrowth = rested is ({ } before, { } after) ? after.Threads - before.Threads : double.NaN,
            FdBaseline = MedianOf(first, s => s.OpenFds),
            ThreadBaseline = rested.Before?.Threads ?? double.NaN,
            ThreadGrowthByName = GrowthByName(rested.Before, rested.After),
            SessionP50Seconds = Stats.Percentile(durations, 0.5),
            SessionP99Seconds = Stats.Percentile(durations, 0.99),
            Minutes = elapsed.TotalMinutes,
            SecondsPerSession = elapsed.TotalSeconds / sessions,
            CpuMsPerSession = cpu.PerSession(),
            FailureKinds = [.. visits.Where(v => v.Failure is not null).GroupBy(v => v.Failure!).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()}× {g.Key}")],
        };
    }

    private static Dictionary<string, double> GrowthByName(ProcessSample? before, ProcessSample? after)
    {
        if (before is null || after is null)
        {
            return [];
        }

        return before.ThreadsByName.Keys.Union(after.ThreadsByName.Keys, StringComparer.Ordinal)
            .Select(name => (name, growth: (double)(after.ThreadsByName.GetValueOrDefault(name) - before.ThreadsByName.GetValueOrDefault(name))))
            .Where(g => g.growth != 0)
            .ToDictionary(g => g.name, g => g.growth, StringComparer.Ordinal);
    }

    private static string Names(ProcessSample? sample) =>
        sample is null ? "" : string.Join(", ", sample.ThreadsByName.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"{n.Key} {n.Value}"));

    internal static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
