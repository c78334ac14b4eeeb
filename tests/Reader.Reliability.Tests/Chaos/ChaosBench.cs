using System.Diagnostics;
using System.Globalization;
using Reader.Reliability.Tests.Clinic;
using Reader.Reliability.Tests.Soak;

namespace Reader.Reliability.Tests.Chaos;

/// <summary>How large a chaos run is: the broker outage and the number of SIGKILLs in the middle of outbox writes.</summary>
internal sealed record ChaosOptions(TimeSpan BrokerOutage, int Kills);

/// <summary>One injected fault: the self-test reason seen during it, the sessions it spanned, and how long recovery took after it ended.</summary>
internal sealed record FaultOutcome(string Fault, double RecoverySeconds, IReadOnlyList<string> Reasons, int Visits, int Done)
{
    /// <summary>The first systemd STATUS= of the running service during the fault that was not "ready" (null when none).</summary>
    public string? Status { get; init; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Fault}: recovery {RecoverySeconds:F2} s, {Done}/{Visits} visits done during it, self-test: {(Reasons.Count == 0 ? "(none)" : string.Join(" | ", Reasons))}, STATUS: {Status ?? "(ready throughout)"}");
}

/// <summary>What a chaos run found; <see cref="Json"/> is the bench's last line.</summary>
internal sealed record ChaosReport(IReadOnlyList<FaultOutcome> Faults, int Visits, int Done, int Lost, int Duplicates, int Unmatched, double RecoveryP95)
{
    public const double RecoveryGoalSeconds = 5;

    /// <summary>The faults during which the self-test gave no reason (the reader kill has no self-test: systemd shows it).</summary>
    public IReadOnlyList<string> Unexplained => [.. Faults.Where(f => f.Reasons.Count == 0 && f.Status is null && !f.Fault.StartsWith("reader-sigkill", StringComparison.Ordinal)).Select(f => f.Fault)];

    public bool GoalsMet => Lost == 0 && Duplicates == 0 && Unexplained.Count == 0 && RecoveryP95 <= RecoveryGoalSeconds;

    public IReadOnlyDictionary<string, object> Json => new Dictionary<string, object>
    {
        ["faults"] = Faults.Count,
        ["lost"] = Lost,
        ["duplicates"] = Duplicates,
        ["recovery_p95_s"] = Stats.Round(RecoveryP95, 2),
        ["visits"] = Visits,
        ["done"] = Done,
        ["unmatched_results"] = Unmatched,
        ["recovery_max_s"] = Stats.Round(Faults.Count == 0 ? 0 : Faults.Max(f => f.RecoverySeconds), 2),
        ["per_fault"] = Faults.GroupBy(f => f.Fault.Split('#')[0]).ToDictionary(g => g.Key, g => (object)new Dictionary<string, object>
        {
            ["count"] = g.Count(),
            ["recovery_max_s"] = Stats.Round(g.Max(f => f.RecoverySeconds), 2),
            ["recovery_p95_s"] = Stats.Round(Stats.Percentile(g.Select(f => f.RecoverySeconds), 0.95), 2),
            ["reason"] = g.SelectMany(f => f.Reasons).FirstOrDefault() ?? "",
            ["status"] = g.Select(f => f.Status).FirstOrDefault(t => t is not null) ?? "",
        }),
        ["unexplained_faults"] = Unexplained,
        ["goal_recovery_s"] = RecoveryGoalSeconds,
        ["goals_met"] = GoalsMet,
    };
}

/// <summary>
/// <c>./reader bench chaos [--broker-outage S] [--kills N]</c>: faults injected into a running clinic while patients
/// keep coming: the broker killed for S s; pcscd killed and restarted; the patient camera's stream stopped and back;
/// the reader SIGKILLed N times in the middle of storing a result (the moment between the last press and
/// 「カードをお取りください」) and started again as systemd would; the data partition (a 24 MB tmpfs the bench mounts
/// for the reader's state and logs) filled to ENOSPC and freed. During each fault <c>reader-device self-test</c> must
/// name the cause; after it, recovery is timed to the first sign the reader works again (results delivered, a card
/// read, a face seen, READY, a result stored). At the end every result the reader told a patient was stored must be
/// at the terminal exactly once.
/// </summary>
internal static class ChaosBench
{
    private static readonly (string Card, string Pin)[] Cards = SoakBench.Cards;

    public static async Task<ChaosReport> RunAsync(ChaosOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reader-chaos-").FullName;
        var partition = Path.Combine(folder, "data-partition");
        Directory.CreateDirectory(partition);
        await RunToolAsync("mount", ["-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", partition]);
        try
        {
            await using var rig = await ClinicRig.StartAsync(folder, new ClinicOptions
            {
                DataFolder = Path.Combine(partition, "reader"),
                LogFolder = Path.Combine(partition, "logs"),
            }, cancellationToken);
            await rig.StartReaderAsync(cancellationToken);
            progress.WriteLine($"[bench chaos] reader {rig.ReaderId} ready; data and logs on a 24 MB tmpfs");
            var run = new ChaosRun(rig, progress);
            var faults = new List<FaultOutcome>
            {
                await run.BrokerOutageAsync(options.BrokerOutage, cancellationToken),
                await run.PcscdRestartAsync(cancellationToken),
                await run.CameraStreamAsync(cancellationToken),
                await run.DataPartitionFullAsync(partition, cancellationToken),
                await run.KioskBrowserCrashAsync(Path.Combine(folder, "kiosk-browser"), cancellationToken),
            };
            for (var i = 0; i < options.Kills; i++)
            {
                faults.Add(await run.KillDuringStoreAsync(i, cancellationToken));
            }

            await rig.Ledger.WaitUntilAsync(l => VisitAudit.Check(run.Visits, l).Lost == 0, TimeSpan.FromSeconds(60), cancellationToken);
            var audit = VisitAudit.Check(run.Visits, rig.Ledger);
            foreach (var fault in faults)
            {
                progress.WriteLine("[bench chaos] " + fault);
            }

            // Where each start of the reader went (its own timeline, seconds since exec: issue 14's restart recovery).
            foreach (var startup in StartupLines(rig.OutputFile))
            {
                progress.WriteLine("[bench chaos] start-up: " + startup);
            }

            progress.WriteLine($"[bench chaos] {run.Visits.Count} visits, {audit.Done} told their result was stored; lost {audit.Lost}, duplicates {audit.Duplicates}, unmatched {audit.UnmatchedResults}");
            return new ChaosReport(faults, run.Visits.Count, audit.Done, audit.Lost, audit.Duplicates, audit.UnmatchedResults, Stats.Percentile(faults.Select(f => f.RecoverySeconds), 0.95));
        }
        finally
        {
            await RunToolAsync("umount", ["-l", partition]);
            SoakBench.TryDelete(folder);
        }
    }

    /// <summary>The reader's "start-up: …" log lines (one per start, in its journal), the phases and their seconds.</summary>
    internal static IReadOnlyList<string> StartupLines(string journal)
    {
        const string Marker = " start-up: ";
        if (!File.Exists(journal))
        {
            return [];
        }

        using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var found = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                found.Add(line[(at + Marker.Length)..]);
            }
        }

        return found;
    }

    internal static async Task RunToolAsync(string tool, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { UseShellExecute = false, RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)}: {error.Trim()}");
        }
    }

    /// <summary>The faults, on one rig, with the patients' visits of all of them kept for the final count.</summary>
    private sealed class ChaosRun(ClinicRig rig, TextWriter progress)
    {
        private int next;

        public List<Visit> Visits { get; } = [];

        private (string Card, string Pin) NextCard() => Cards[next++ % Cards.Length];

        private async Task<Visit> VisitAsync(string method, CancellationToken cancellationToken)
        {
            var (card, pin) = NextCard();
            var visit = await rig.Patient.VisitAsync(rig.Card(card, pin), pin, method, cancellationToken);
            lock (Visits)
            {
                Visits.Add(visit);
            }

            return visit;
        }

        /// <summary>Patients one after another until <paramref name="stop"/>: the sessions that run while a fault is on.</summary>
        private async Task<List<Visit>> PatientsUntilAsync(string method, CancellationToken stop, CancellationToken cancellationToken)
        {
            var during = new List<Visit>();
            while (!stop.IsCancellationRequested)
            {
                during.Add(await VisitAsync(method, cancellationToken));
            }

            return during;
        }

        private void Say(string text) => progress.WriteLine("[bench chaos] " + text);

        /// <summary>The service's first STATUS= since <paramref name="since"/> that was not "ready" (what systemctl status showed).</summary>
        private string? StatusSince(long since) =>
            rig.Systemd.StatusesSince(since).Select(n => n.Status).FirstOrDefault(t => t is not null && t != "ready");

        /// <summary>
        /// The touchscreen's browser crashes (kiosk.service relaunches it, Restart=always after RestartSec=2s): the
        /// service's STATUS must name the missing page; recovery is timed from the relaunch to the service seeing the page
        /// follow it again (STATUS back to ready). The scripted patient's own state stream steps away meanwhile (it would
        /// count as a page), and comes back for a visit afterwards. Each step waits for the service's current STATUS (not
        /// for a change after a moment the bench picked): the browser's page is following before the crash (else the
        /// STATUS named the page all along and the crash changes nothing), and the crash is named before the relaunch.
        /// </summary>
        public async Task<FaultOutcome> KioskBrowserCrashAsync(string browserFolder, CancellationToken cancellationToken)
        {
            Say("kiosk browser (Chromium) started, then killed; relaunched as its unit does");
            await using var browser = new KioskBrowser(browserFolder, rig.KioskKeyFile, rig.Reader.Kiosk!);
            await rig.Patient.Feed.StopAsync();

            // Without a page the service says so (the patient's stream has stepped away): the check itself works.
            var before = await WaitForCurrentStatusAsync(NamesThePage, TimeSpan.FromSeconds(30), cancellationToken);
            await browser.StartAsync(cancellationToken);

            // Up: the browser's page follows the kiosk (STATUS no longer names it; Chromium's start is slow on a loaded machine).
            var following = await WaitForCurrentStatusAsync(t => !NamesThePage(t), TimeSpan.FromSeconds(120), cancellationToken);
            if (following is null)
            {
                Say("the kiosk browser's page never followed the kiosk: the crash cannot be told apart");
            }

            var crashed = Stopwatch.GetTimestamp();
            await browser.CrashAsync();
            var named = following is null ? null : await WaitForCurrentStatusAsync(NamesThePage, TimeSpan.FromSeconds(30), cancellationToken);
            var left = KioskBrowser.RestartDelay - TimeSpan.FromSeconds(Stats.Seconds(crashed, Stopwatch.GetTimestamp()));
            await Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
            var relaunched = Stopwatch.GetTimestamp();
            await browser.StartAsync(cancellationToken);
            var ready = await WaitForStatusAsync(t => !NamesThePage(t), relaunched, TimeSpan.FromSeconds(120), cancellationToken);
            await browser.DisposeAsync();

            rig.Patient.Feed.Start();
            await rig.Patient.WaitIdleAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var after = await VisitAsync("pin", cancellationToken);
            Say($"kiosk page: without a page {(before is null ? "not named" : "named")}, followed {(following is null ? "never" : "yes")}, crash {(named is null ? "not named" : "named")}");
            return new FaultOutcome("kiosk-browser-crash", Stats.Seconds(relaunched, ready?.At ?? Stopwatch.GetTimestamp()), [], 1, after.Succeeded ? 1 : 0)
            {
                Status = named,
            };
        }

        private static bool NamesThePage(string status) => status.Contains("kiosk-page", StringComparison.Ordinal);

        /// <summary>Waits until the service's latest STATUS= (whenever it was sent) matches; that STATUS, or null on time-out.</summary>
        private async Task<string?> WaitForCurrentStatusAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                // Before the first STATUS= the service is "ready" (it sends one only when that changes).
                var status = rig.Systemd.LastStatus ?? "ready";
                if (match(status))
                {
                    return status;
                }

                if (Stopwatch.GetTimestamp() >= deadline)
                {
                    return null;
                }

                await Task.Delay(50, cancellationToken);
            }
        }

        private Task<Notification?> WaitForStatusAsync(Func<string, bool> match, long since, TimeSpan timeout, CancellationToken cancellationToken) =>
            rig.Systemd.WaitForAsync(n => n.Status is { } t && match(t), since, timeout, cancellationToken);

        public async Task<FaultOutcome> BrokerOutageAsync(TimeSpan outage, CancellationToken cancellationToken)
        {
            Say($"broker killed for {outage.TotalSeconds:F0} s");
            var since = Stopwatch.GetTimestamp();
            using var stop = new CancellationTokenSource();
            await rig.Broker.KillAsync();
            var patients = PatientsUntilAsync("pin", stop.Token, cancellationToken);
            var reasons = await rig.SelfTestFailuresAsync(cancellationToken);
            var left = outage - TimeSpan.FromSeconds(2);
            await Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
            await stop.CancelAsync();
            var during = await patients;
            var ended = Stopwatch.GetTimestamp();
            await rig.Broker.StartAsync(cancellationToken);

            // Recovered: every result the patients were told is stored has reached the terminal.
            await rig.Ledger.WaitUntilAsync(l => VisitAudit.Check(during, l).Lost == 0, TimeSpan.FromSeconds(120), cancellationToken);
            return new FaultOutcome("broker-outage", Stats.Seconds(ended, Stopwatch.GetTimestamp()), reasons, during.Count, during.Count(v => v.Succeeded)) { Status = StatusSince(since) };
        }

        public async Task<FaultOutcome> PcscdRestartAsync(CancellationToken cancellationToken)
        {
            Say("pcscd killed, restarted after 3 s");
            var since = Stopwatch.GetTimestamp();
            await rig.Pcscd.StopAsync();
            var reasonsTask = rig.SelfTestFailuresAsync(cancellationToken);
            var duringVisit = VisitAsync("pin", cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var reasons = await reasonsTask;
            var ended = Stopwatch.GetTimestamp();
            await rig.Pcscd.RestartAsync(TimeSpan.Zero, cancellationToken);
            var during = await duringVisit;

            // Recovered: a card placed after the restart is read.
            var recovered = await UntilAsync(v => v.CardReadAt != 0, "pin", cancellationToken);
            return new FaultOutcome("pcscd-restart", Stats.Seconds(ended, recovered?.CardReadAt ?? Stopwatch.GetTimestamp()), reasons, 1, during.Succeeded ? 1 : 0) { Status = StatusSince(since) };
        }

        public async Task<FaultOutcome> CameraStreamAsync(CancellationToken cancellationToken)
        {
            Say("camera stream stopped for 5 s");
            var since = Stopwatch.GetTimestamp();
            rig.Camera.SwitchStream(false);
            using var stop = new CancellationTokenSource();
            var patients = PatientsUntilAsync("face", stop.Token, cancellationToken);
            var reasons = await rig.SelfTestFailuresAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            await stop.CancelAsync();
            var ended = Stopwatch.GetTimestamp();
            rig.Camera.SwitchStream(true);
            var during = await patients;

            // Recovered: a face is matched again.
            var recovered = await UntilAsync(v => v.FaceSeenAt != 0, "face", cancellationToken);
            return new FaultOutcome("camera-stream", Stats.Seconds(ended, recovered?.FaceSeenAt ?? Stopwatch.GetTimestamp()), reasons, during.Count, during.Count(v => v.Succeeded)) { Status = StatusSince(since) };
        }

        public async Task<FaultOutcome> DataPartitionFullAsync(string partition, CancellationToken cancellationToken)
        {
            Say("data partition filled (ENOSPC for the outbox and the logs)");
            var filler = Path.Combine(partition, "filler");
            var since = Stopwatch.GetTimestamp();
            Fill(filler);
            var reasons = await rig.SelfTestFailuresAsync(cancellationToken);
            var during = await VisitAsync("pin", cancellationToken);
            var ended = Stopwatch.GetTimestamp();
            File.Delete(filler);

            // Recovered: a result is stored again.
            var recovered = await UntilAsync(v => v.Succeeded, "pin", cancellationToken);
            return new FaultOutcome("data-partition-full", Stats.Seconds(ended, recovered?.DoneAt ?? Stopwatch.GetTimestamp()), reasons, 1, during.Succeeded ? 1 : 0) { Status = StatusSince(since) };
        }

        public async Task<FaultOutcome> KillDuringStoreAsync(int round, CancellationToken cancellationToken)
        {
            // The result is stored between the last press and the done screen: kill somewhere in that stretch.
            var mark = rig.Patient.Feed.Arrivals;
            using var visitCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var visit = VisitAsync(round % 2 == 0 ? "pin" : "face", visitCancel.Token);
            var consent = await rig.Patient.Feed.WaitAsync(mark, ["consent-top"], TimeSpan.FromSeconds(60), cancellationToken);
            if (consent is not null)
            {
                await rig.Patient.Feed.WaitAsync(consent.Value.Arrival, ["done", "prescription"], TimeSpan.FromSeconds(30), cancellationToken);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 60)), cancellationToken);
            await rig.Reader.KillAsync();
            var killed = Stopwatch.GetTimestamp();

            // A visit the kill cut short would wait out its step time-outs: it failed, stop it (its card is taken).
            await Task.WhenAny(visit, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
            if (!visit.IsCompleted)
            {
                await visitCancel.CancelAsync();
            }

            Visit? during = null;
            try
            {
                during = await visit;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            // systemd: Restart=on-failure after RestartSec=2s. Recovered: READY and the kiosk idle again.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var restarted = Stopwatch.GetTimestamp();
            await rig.StartReaderAsync(cancellationToken);
            var outcome = new FaultOutcome($"reader-sigkill#{round + 1}", Stats.Seconds(restarted, Stopwatch.GetTimestamp()), [], 1, during?.Succeeded == true ? 1 : 0);
            if (round % 10 == 0)
            {
                Say($"kill {round + 1}: visit {(during is null ? "cut short" : during.Succeeded ? "done" : during.Failure)}, back in {outcome.RecoverySeconds:F1} s after the restart ({Stats.Seconds(killed, restarted):F1} s after the kill)");
            }

            return outcome;
        }

        /// <summary>Visits until one satisfies <paramref name="recovered"/> (at most 10); that visit, or null.</summary>
        private async Task<Visit?> UntilAsync(Func<Visit, bool> recovered, string method, CancellationToken cancellationToken)
        {
            for (var i = 0; i < 10; i++)
            {
                var visit = await VisitAsync(method, cancellationToken);
                if (recovered(visit))
                {
                    return visit;
                }
            }

            return null;
        }

        private static void Fill(string path)
        {
            // Unbuffered, in ever smaller writes down to one byte: a page left free would hold the self-test's small
            // probe file, and the fault would go unnamed (seen once at load 30: "4 KiB free", self-test all OK).
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            var block = new byte[1 << 20];
            foreach (var size in (int[])[1 << 20, 1 << 16, 1 << 12, 1 << 9, 1])
            {
                try
                {
                    while (true)
                    {
                        stream.Write(block, 0, size);
                    }
                }
                catch (IOException)
                {
                    // ENOSPC at this size: go on with a smaller one.
                }
            }
        }
    }
}
