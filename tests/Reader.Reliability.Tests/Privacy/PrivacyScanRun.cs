using System.Collections.Concurrent;
using Reader.Reliability.Tests.Clinic;
using Reader.Reliability.Tests.Mqtt;
using Reader.Reliability.Tests.Soak;

namespace Reader.Reliability.Tests.Privacy;

/// <summary>What a privacy scan looked at and found; <see cref="Json"/> is the verb's last line (hits named, never their values).</summary>
internal sealed record PrivacyScanReport(int Sessions, int Done, int FilesScanned, long BytesScanned, int MessagesScanned, int Forms, bool Crashed, IReadOnlyList<PrivacyHit> Hits, IReadOnlyList<string> Failures)
{
    public bool GoalsMet => Hits.Count == 0 && Done == Sessions && MessagesScanned > 0;

    public IReadOnlyDictionary<string, object> Json => new Dictionary<string, object>
    {
        ["sessions"] = Sessions,
        ["files_scanned"] = FilesScanned,
        ["messages_scanned"] = MessagesScanned,
        ["hits"] = Hits.Count,
        ["done"] = Done,
        ["bytes_scanned"] = BytesScanned,
        ["forms_searched"] = Forms,
        ["crash_output_scanned"] = Crashed,
        ["hit_list"] = Hits.Take(20).Select(h => h.ToString()).ToList(),
        ["goals_met"] = GoalsMet,
    };
}

/// <summary>
/// <c>./reader privacy-scan [--sessions N]</c>: N patients (face and PIN alternately) through <c>reader-device run</c>
/// with a monitor client capturing every MQTT message on the clinic broker (<c>#</c>), then one more face session the
/// reader is aborted in (SIGABRT while the camera runs: its crash output lands in the journal capture, and its unit's
/// LimitCORE=0 is applied), then a scan of every file the service could write (data, logs, tmp, firmware staging,
/// its journal) and the broker's persistence, and of every captured message, for the holders' secrets in every form.
/// </summary>
internal static class PrivacyScanRun
{
    public static async Task<PrivacyScanReport> RunAsync(int sessions, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sessions, 2);
        var folder = Directory.CreateTempSubdirectory("reader-privacy-").FullName;
        var messages = new ConcurrentQueue<CapturedMessage>();
        try
        {
            await using var rig = await ClinicRig.StartAsync(folder, new ClinicOptions { MonitorIdentity = true }, cancellationToken);
            await using var capture = new BenchMqttClient(rig.Monitor!, "term-monitor", onMessage: m =>
            {
                messages.Enqueue(m);
                return Task.CompletedTask;
            });
            await capture.ConnectAsync(cancellationToken);
            await capture.SubscribeAsync("#", cancellationToken);
            await rig.StartReaderAsync(cancellationToken);
            progress.WriteLine($"[privacy-scan] reader {rig.ReaderId} ready; capturing '#' on the clinic broker; {sessions} sessions");

            var identities = new List<ScanIdentity>();
            var visits = new List<Visit>();
            foreach (var (card, pin) in SoakBench.Cards)
            {
                identities.Add(ScanIdentity.Of(rig.Card(card, pin), pin));
            }

            for (var i = 0; i < sessions; i++)
            {
                var (cardId, pin) = SoakBench.Cards[i % SoakBench.Cards.Length];
                visits.Add(await rig.Patient.VisitAsync(rig.Card(cardId, pin), pin, i % 2 == 0 ? "face" : "pin", cancellationToken));
            }

            await rig.Ledger.WaitUntilAsync(l => VisitAudit.Check(visits, l).Lost == 0, TimeSpan.FromSeconds(60), cancellationToken);
            var crashed = await CrashDuringFaceAsync(rig, progress, cancellationToken);

            // Let the last messages (the Will, retained status) land in the capture.
            await Task.Delay(TimeSpan.FromSeconds(8), cancellationToken);
            var scanner = new PrivacyScanner(identities);
            var hits = new List<PrivacyHit>();
            var (files, bytes) = ScanFiles(scanner, ReachableFiles(rig), hits);
            var captured = messages.ToArray();
            foreach (var message in captured)
            {
                hits.AddRange(scanner.Scan("mqtt " + message.Topic, message.AllBytes()));
            }

            progress.WriteLine($"[privacy-scan] {files} files ({bytes / 1024} KiB) and {captured.Length} messages scanned for {scanner.Forms} forms of {identities.Count} holders' secrets, images and embeddings: {hits.Count} hits");
            foreach (var hit in hits.Take(50))
            {
                progress.WriteLine("[privacy-scan] HIT " + hit);
            }

            var failures = visits.Where(v => v.Failure is not null).Select(v => v.Failure!).ToList();
            return new PrivacyScanReport(sessions, visits.Count(v => v.Succeeded), files, bytes, captured.Length, scanner.Forms, crashed, hits, failures);
        }
        finally
        {
            SoakBench.TryDelete(folder);
        }
    }

    /// <summary>What the service can write: its state, logs, temporary folder, firmware staging, its journal; and the broker's store.</summary>
    internal static IEnumerable<string> ReachableFiles(ClinicRig rig)
    {
        var roots = new[] { rig.DataFolder, rig.LogFolder, rig.TempFolder, rig.FirmwareFolder, Path.Combine(rig.BrokerLayout.Directory, "data") };
        foreach (var root in roots.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
            {
                yield return file;
            }
        }

        yield return rig.OutputFile;
    }

    internal static (int Files, long Bytes) ScanFiles(PrivacyScanner scanner, IEnumerable<string> files, List<PrivacyHit> hits)
    {
        var count = 0;
        long bytes = 0;
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.Attributes.HasFlag(FileAttributes.ReparsePoint) || info.UnixFileMode == 0 && info.Length == 0)
            {
                continue;
            }

            byte[] content;
            try
            {
                content = File.ReadAllBytes(file);
            }
            catch (IOException)
            {
                continue; // a socket or a FIFO: no stored bytes
            }

            count++;
            bytes += content.Length;
            hits.AddRange(scanner.Scan(file, content));
        }

        return (count, bytes);
    }

    /// <summary>A face session the reader dies in (SIGABRT once the face screen shows): its crash output must hold nothing either.</summary>
    private static async Task<bool> CrashDuringFaceAsync(ClinicRig rig, TextWriter progress, CancellationToken cancellationToken)
    {
        var (cardId, pin) = SoakBench.Cards[0];
        var mark = rig.Patient.Feed.Arrivals;
        await rig.Readers.InsertAsync(0, rig.Card(cardId, pin));
        var choice = await rig.Patient.Feed.WaitAsync(mark, ["method-choice"], TimeSpan.FromSeconds(60), cancellationToken);
        if (choice is not null)
        {
            await rig.Patient.PressAsync("{\"type\":\"choose-method\",\"method\":\"face\"", choice.Value.State.Version, cancellationToken);
            await rig.Patient.Feed.WaitAsync(choice.Value.Arrival, ["face-capture"], TimeSpan.FromSeconds(30), cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The .NET runtime's SIGABRT handler swallows the first SIGABRT sent from outside (it restores the default
        // action and returns): the second one ends the process, as abort() does inside it.
        await rig.Reader.SignalAsync("ABRT");
        var gone = await rig.Reader.WaitUntilGoneAsync(TimeSpan.FromSeconds(3));
        if (!gone)
        {
            await rig.Reader.SignalAsync("ABRT");
            gone = await rig.Reader.WaitUntilGoneAsync(TimeSpan.FromSeconds(30));
        }

        if (!gone)
        {
            await rig.Reader.KillAsync();
        }

        await rig.Readers.RemoveAsync(0);
        progress.WriteLine($"[privacy-scan] reader {(gone ? "aborted (SIGABRT)" : "did not end on SIGABRT and was killed")} during a face session after {clock.Elapsed.TotalSeconds:F1} s; its output is in the scan");
        return gone;
    }
}
