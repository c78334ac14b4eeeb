using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reader.Card.Link;
using Reader.Device.Hosting;
using Reader.Device.Session;
using Reader.Device.Session.Seams;
using Reader.EndToEnd.Tests.Rig;
using Reader.HardwareSim.Camera;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Vpcd;
using Reader.Protocol.Pairing;

namespace Reader.EndToEnd.Tests.Bench;

/// <summary>
/// <c>./reader bench session</c>: device-side time from card placed to result published (face path), split by phase,
/// with a patient who answers instantly on the session's <c>IKioskSession</c> (no browser). The in-process
/// <see cref="ReaderService"/> runs on a private pcscd + vpcd whose reader says it carries extended APDUs, with the
/// virtual card (ATQB B3: 212 and 424 kbit/s) paced by the contactless link model at each reader rate in turn, the
/// real face pipeline, mosquitto with TLS and the terminal's watch service. Peer in the same run: the same session
/// with the card unpaced (the rates and the peer alternate, so load falls on all). The software's share is the total
/// less the card's modelled time for that session's APDUs (frames, FSC, FWT, RSA) less the patient's (0: instant).
/// </summary>
internal static class SessionBench
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Frames the unpaced patient camera films before each session (a session took about 11; 640×480 RGB, 0.9 MB each).
    private const int PatientFramesAhead = 40;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = IntArg(args, "--runs", 15);
        var warmup = IntArg(args, "--warmup", 2);
        var rates = StringArg(args, "--kbit", "212,424").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var cameraMode = StringArg(args, "--camera", "instant");
        var logLevel = Enum.Parse<LogLevel>(StringArg(args, "--log", "Warning"), ignoreCase: true);
        var perSession = args.Contains("--per-session");
        if (EndToEndFactAttribute.Unavailable() is { } reason)
        {
            await Console.Error.WriteLineAsync($"bench session: {reason}");
            return 2;
        }

        RigPaths.UseRepositoryCache();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var token = cancel.Token;
        var folder = Path.Combine(Path.GetTempPath(), $"reader-bench-session-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            return await MeasureAsync(folder, runs, warmup, rates, cameraMode, logLevel, perSession, token);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<int> MeasureAsync(string folder, int runs, int warmup, int[] rates, string cameraMode, LogLevel logLevel, bool perSession, CancellationToken token)
    {
        Say($"setting up: private pcscd + vpcd, sim daemon, mosquitto (TLS), terminal; readers at {string.Join(" and ", rates)} kbit/s; camera {cameraMode}");
        await using var hardware = await SimulatedHardware.StartAsync(folder, token);
        hardware.Pcscd.UseInThisProcess();
        await using var broker = await ClinicBroker.StartAsync(folder, token);
        var issuer = hardware.CardFaceIssuer;
        var configFile = Path.Combine(folder, "reader.json");
        ReaderConfigFile.WriteConfig(configFile, new ReaderConfig(hardware.Camera.StreamUrl.ToString(), hardware.ControlSocket, issuer.KeyId, issuer.PublicKey,
            Path.Combine(folder, "reader"), broker.Profile.PairingPort, Path.Combine(folder, "logs"), new Dictionary<string, object>()));
        var options = ReaderConfiguration.LoadValidated(configFile, out _);

        var terminalData = Path.Combine(folder, "terminal");
        Task<PairedReader>? terminalSide = null;
        await ReaderService.PairAsync(options, code =>
        {
            terminalSide = Task.Run(() => TerminalPairing.PairAsync(new TerminalPairingOptions { Profile = broker.Profile, DataDirectory = terminalData }, code.Code, null, null, token), token);
            return Task.CompletedTask;
        }, null, token);
        var readerId = (await terminalSide!).ReaderId;
        await using var terminal = await TerminalWatch.StartAsync(broker.Profile, terminalData, token);

        using var portraits = new PortraitLibrary();
        var patientCamera = new VirtualCamera(portraits, RigPaths.HolderPortrait, RigPaths.OtherPortrait, SceneSettings.InstantPatient);
        await using var instantCamera = new SceneCameraSource(patientCamera, framesPerSecond: 15, paced: false);
        var recorder = new MilestoneRecorder();
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel));
        await using var service = ReaderService.Create(options, new ReaderServiceParts
        {
            Camera = cameraMode == "mjpeg" ? null : instantCamera,
            Observer = recorder,
        }, loggers);
        await service.StartAsync(token);
        await service.WaitUntilReadyAsync(token);
        using var stopPatient = CancellationTokenSource.CreateLinkedTokenSource(token);
        var patient = Task.Run(() => InstantPatient.RunAsync(service.Kiosk, stopPatient.Token), token);
        Say($"reader {readerId} paired and ready (reader dwMaxAPDUDataSize {hardware.Pcscd.ReaderMaxApduData(0)?.ToString(CultureInfo.InvariantCulture) ?? "not said"}); {warmup} warm-up + {runs} measured rounds: a session at each of {string.Join(", ", rates)} kbit/s and one unpaced (peer)");

        var card = hardware.Readers.GetOrCreateCard("bench-card", new VirtualCardSpec { PortraitPath = RigPaths.HolderPortrait });
        var samples = rates.ToDictionary(r => r, _ => new List<Sample>());
        var peer = new List<Sample>();
        string? previous = null;
        var failed = 0;
        var fewestFramesLeft = PatientFramesAhead;
        var filmAhead = cameraMode != "mjpeg"; // the unpaced in-process camera only
        for (var i = 0; i < warmup + runs; i++)
        {
            foreach (var rate in rates.Select(r => (int?)r).Append(null))
            {
                // The patient camera films the session's frames before the card is placed: a real camera makes its
                // frames itself, so the simulator's rendering is not charged to the reader's CPU.
                if (filmAhead)
                {
                    instantCamera.RenderAhead(PatientFramesAhead);
                }

                var sample = await OneSessionAsync(hardware, card, rate, recorder, terminal, previous, token);
                if (filmAhead)
                {
                    fewestFramesLeft = Math.Min(fewestFramesLeft, instantCamera.FramesAhead);
                }

                previous = sample.SessionId;
                if (sample.Failed)
                {
                    failed++;
                }
                else if (i >= warmup)
                {
                    (rate is { } r ? samples[r] : peer).Add(sample);
                }
            }

            Say(string.Create(CultureInfo.InvariantCulture,
                $"  round {i + 1}/{warmup + runs}{(i < warmup ? " (warm-up)" : "")}: {string.Join(", ", rates.Select(r => $"{samples[r].LastOrDefault()?.Total ?? 0:F0} ms at {r}"))}, {peer.LastOrDefault()?.Total ?? 0:F0} ms unpaced"));
        }

        await stopPatient.CancelAsync();
        await patient;
        if (filmAhead)
        {
            Say($"patient camera: {PatientFramesAhead} frames filmed ahead of each session, at least {fewestFramesLeft} of them left unused (0: a session used every frame filmed ahead, and may have rendered more itself)");
        }

        return Report(samples, peer, runs, failed, cameraMode, perSession);
    }

    /// <summary>One session at <paramref name="readerKbit"/> (null: unpaced); <see cref="Sample.Failed"/> when it ended without a result.</summary>
    private static async Task<Sample> OneSessionAsync(SimulatedHardware hardware, VirtualMyNumberCard card, int? readerKbit, MilestoneRecorder recorder,
        TerminalWatch terminal, string? previous, CancellationToken token)
    {
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var gcPauseBefore = GC.GetTotalPauseDuration();
        await hardware.Readers.InsertAsync(0, card, new SlotBehaviour { ReaderMaxKbit = readerKbit });
        var link = hardware.Readers.LinkIn(0);
        var session = await recorder.WaitAsync(previous, [SessionMilestoneKind.ResultSubmitted, SessionMilestoneKind.SessionAborted], TimeSpan.FromSeconds(90), token);
        var delivered = recorder.Of(session).ContainsKey(SessionMilestoneKind.ResultSubmitted);
        if (delivered)
        {
            await terminal.WaitUntilAsync(t => t.Results.Any(r => r.Result.SessionId == session), TimeSpan.FromSeconds(30), token);
            await recorder.WaitAsync(previous, [SessionMilestoneKind.ResultAcknowledged], TimeSpan.FromSeconds(30), token);
        }

        var trace = card.Counters.CurrentCycle;
        var exchanges = hardware.Readers.ExchangesIn(0);
        var cpuMs = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var gcPauseMs = (GC.GetTotalPauseDuration() - gcPauseBefore).TotalMilliseconds;
        await hardware.Readers.RemoveAsync(0);
        await recorder.WaitAsync(previous, [SessionMilestoneKind.SessionEnded], TimeSpan.FromSeconds(30), token);
        var phases = recorder.Of(session);
        if (!delivered)
        {
            Say($"  session {session} at {readerKbit?.ToString(CultureInfo.InvariantCulture) ?? "unpaced"} ended without a result (phases: {string.Join(", ", phases.Keys)}); not measured, counted as failed");
            return new Sample(session, phases, trace, link) { Failed = true };
        }

        return new Sample(session, phases, trace, link) { Exchanges = exchanges, Stamps = recorder.StampsOf(session), CpuMs = cpuMs, GcPauseMs = gcPauseMs };
    }

    private static int Report(Dictionary<int, List<Sample>> samples, List<Sample> peer, int runs, int failed, string cameraMode, bool perSession)
    {
        if (samples.Values.Append(peer).Any(list => list.Count == 0))
        {
            Console.Error.WriteLine($"bench session: {failed} sessions failed and a rate has no measured session");
            return 1;
        }

        const double PatientMs = 0; // the instant patient answers in the turn it sees a screen, and its face is there at once
        static double P(IEnumerable<Sample> s, Func<Sample, double> f, double q) => Percentile([.. s.Select(f)], q);
        var rows = new (string Name, Func<Sample, double> Value)[]
        {
            ("card (placed → method chosen)", s => s.Card),
            ("face (method → face decided)", s => s.Face),
            ("consent (decided → confirmed)", s => s.Consent),
            ("publish (confirmed → submitted)", s => s.Publish),
            ("total (placed → result published)", s => s.Total),
            ("  card time modelled for its APDUs", s => s.CardModelMs),
            ("  sim late (answers after their model's due time)", s => s.SimLateMs),
            ("  software (total − card − patient − sim late)", s => s.Software(PatientMs)),
            ("  software counting the sim's lateness as ours", s => s.Total - s.CardModelMs - PatientMs),
            ("  card held the exchanges (link's clock)", s => s.CardHeldMs),
            ("  link late (held − modelled)", s => s.CardHeldMs - s.CardModelMs),
            ("  host: placed → first APDU", s => s.FirstApduMs),
            ("  host: between APDUs", s => s.GapsMs),
            ("  host: last APDU → result published", s => s.TailMs),
            ("    last APDU → chip photo read (parse, DF28)", s => s.At(SessionMilestoneKind.PhotoRead) - s.LastAnsweredMs),
            ("    photo read → enrolled (decode, detect, embed)", s => s.At(SessionMilestoneKind.TemplateEnrolled) - s.At(SessionMilestoneKind.PhotoRead)),
            ("    enrolled → face decided (compare)", s => s.At(SessionMilestoneKind.FaceDecided) - s.At(SessionMilestoneKind.TemplateEnrolled)),
            ("    face decided → result published", s => s.Total - s.At(SessionMilestoneKind.FaceDecided)),
            ("  host total (total − card held)", s => s.Total - s.CardHeldMs),
            ("  process CPU time (service + sim in it)", s => s.CpuMs),
            ("  GC pauses in the process (all threads, the sim's card too)", s => s.GcPauseMs),
            ("terminal ack (published → acknowledged)", s => s.Ack),
            ("  照合番号B read (card-face camera, OCR)", s => s.At(SessionMilestoneKind.CodeBRead)),
            ("  certificate read", s => s.At(SessionMilestoneKind.CertificateRead)),
            ("  terminal card check answered", s => s.At(SessionMilestoneKind.CardCheckAnswered)),
            ("  face attempt started", s => s.At(SessionMilestoneKind.AttemptStarted)),
            ("  live evidence complete (awaits the template)", s => s.At(SessionMilestoneKind.LiveEvidenceComplete)),
            ("  chip photo read", s => s.At(SessionMilestoneKind.PhotoRead)),
            ("  card photo enrolled", s => s.At(SessionMilestoneKind.TemplateEnrolled)),
            ("  chip genuineness verified", s => s.At(SessionMilestoneKind.ChipVerified)),
            ("  face decided", s => s.At(SessionMilestoneKind.FaceDecided)),
        };
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"phase, ms (p50 / p90)",-42} {string.Concat(samples.Keys.Select(r => $"{r + " kbit/s",18}"))} {"unpaced",18}"));
        foreach (var (name, value) in rows)
        {
            var cells = samples.Values.Append(peer).Select(list => $"{P(list, value, 0.5),8:F0} /{P(list, value, 0.9),6:F0}  ");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-42} {string.Concat(cells)}"));
        }

        var result = new Dictionary<string, object>();
        var overheads = new List<double>();
        Console.WriteLine();
        foreach (var (rate, list) in samples)
        {
            var last = list[^1];
            var link = last.Link!;
            var costs = last.Trace.Select(e => link.Cost(e.CommandLength, e.ResponseLength, e.Ins == 0x2A)).ToList();
            var total = P(list, s => s.Total, 0.5);
            var model = P(list, s => s.CardModelMs, 0.5);
            var overhead = P(list, s => s.Software(PatientMs), 0.5);
            overheads.Add(overhead);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"card at {link.Kbit} kbit/s (last session): {last.Trace.Count} APDUs, {costs.Sum(c => c.AirBytes)} bytes in {costs.Sum(c => c.Frames)} frames: air {costs.Sum(c => c.AirMs):F0} ms + gaps {costs.Sum(c => c.GapsMs):F0} ms + card work {costs.Sum(c => c.CardMs):F0} ms (RSA {last.Trace.Count(e => e.Ins == 0x2A)} × {link.CardRsaMs:F0} ms) + reader {costs.Sum(c => c.ReaderMs):F0} ms = {model:F0} ms; total {total:F0} ms, software {overhead:F0} ms"));
            var gaps = last.GapsBefore().OrderByDescending(g => g.Ms).Take(5);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  host time (last session): placed → first APDU {last.FirstApduMs:F0} ms, between APDUs {last.GapsMs:F0} ms, last APDU → published {last.TailMs:F0} ms; largest gaps: {string.Join(", ", gaps.Select(g => $"before #{g.Index} {InstructionName(g.Ins)} {g.Ms:F0} ms"))}"));
            // Each gap's p50 over the sessions, by position (the session's APDU order is fixed: the same index is the same step).
            var gapCount = list.Min(s => s.GapsBefore().Count());
            var gapsP50 = Enumerable.Range(1, gapCount).Select(i => (Index: i, Ins: last.GapsBefore().First(g => g.Index == i).Ins,
                Ms: P(list, s => s.GapsBefore().First(g => g.Index == i).Ms, 0.5))).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  host gap before each APDU (p50 over sessions): {string.Join(", ", gapsP50.Select(g => $"#{g.Index} {InstructionName(g.Ins)} {g.Ms:F1}"))}"));
            result[string.Create(CultureInfo.InvariantCulture, $"host_gaps_p50_ms_{rate}")] = gapsP50.Select(g => Round(g.Ms)).ToArray();
            if (perSession)
            {
                // Each session's own split: the p50s above are of different sessions and do not add up.
                foreach (var s in list)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  session: total {s.Total:F0}, software {s.Software(PatientMs):F0} = placed → first APDU {s.FirstApduMs:F1} + between {s.GapsMs:F1} + tail {s.TailMs:F1} (± card lateness); 照合番号B at {s.At(SessionMilestoneKind.CodeBRead):F0}, live evidence at {s.At(SessionMilestoneKind.LiveEvidenceComplete):F0}; gaps ≥ 2 ms: {string.Join(", ", s.GapsBefore().Where(g => g.Ms >= 2).Select(g => $"#{g.Index} {g.Ms:F1}"))}"));
                }
            }
            var late = last.LateExchanges().OrderByDescending(g => g.Ms).Take(3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  sim late (last session): {last.SimLateMs:F1} ms over {last.LateExchanges().Count(g => g.Ms >= 0.5)} of {last.Exchanges.Count} exchanges ≥ 0.5 ms late; largest: {string.Join(", ", late.Select(g => $"#{g.Index} {InstructionName(g.Ins)} {g.Ms:F1} ms"))}"));
            foreach (var group in last.Trace.GroupBy(e => e.Ins).OrderByDescending(g => g.Sum(e => link.ExchangeMs(e.CommandLength, e.ResponseLength, e.Ins == 0x2A))))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  INS {group.Key:X2} ({InstructionName(group.Key)}): {group.Count()} APDUs, {group.Sum(e => e.CommandLength + e.ResponseLength)} bytes, {group.Sum(e => link.ExchangeMs(e.CommandLength, e.ResponseLength, e.Ins == 0x2A)):F0} ms"));
            }

            var suffix = string.Create(CultureInfo.InvariantCulture, $"_{rate}");
            result["total_ms" + suffix] = Round(total);
            result["total_p90_ms" + suffix] = Round(P(list, s => s.Total, 0.9));
            result["card_model_ms" + suffix] = Round(model);
            result["software_overhead_ms" + suffix] = Round(overhead);
            result["sim_late_ms" + suffix] = Round(P(list, s => s.SimLateMs, 0.5));
            result["software_overhead_incl_sim_late_ms" + suffix] = Round(total - model - PatientMs);
            result["photo_read_ms" + suffix] = Round(P(list, s => s.At(SessionMilestoneKind.PhotoRead), 0.5));
            result["chip_verified_ms" + suffix] = Round(P(list, s => s.At(SessionMilestoneKind.ChipVerified), 0.5));
            result["face_decided_ms" + suffix] = Round(P(list, s => s.At(SessionMilestoneKind.FaceDecided), 0.5));
            result["live_evidence_ms" + suffix] = Round(P(list, s => s.At(SessionMilestoneKind.LiveEvidenceComplete), 0.5));
            result["code_b_read_ms" + suffix] = Round(P(list, s => s.At(SessionMilestoneKind.CodeBRead), 0.5));
            result["card_held_ms" + suffix] = Round(P(list, s => s.CardHeldMs, 0.5));
            result["host_ms" + suffix] = Round(P(list, s => s.Total - s.CardHeldMs, 0.5));
            result["link_late_ms" + suffix] = Round(P(list, s => s.CardHeldMs - s.CardModelMs, 0.5));
            result["host_first_apdu_ms" + suffix] = Round(P(list, s => s.FirstApduMs, 0.5));
            result["host_between_apdus_ms" + suffix] = Round(P(list, s => s.GapsMs, 0.5));
            result["host_tail_ms" + suffix] = Round(P(list, s => s.TailMs, 0.5));
            result["tail_to_photo_read_ms" + suffix] = Round(P(list, s => s.At(SessionMilestoneKind.PhotoRead) - s.LastAnsweredMs, 0.5));
            result["tail_enrol_ms" + suffix] = Round(P(list, s => s.At(SessionMilestoneKind.TemplateEnrolled) - s.At(SessionMilestoneKind.PhotoRead), 0.5));
            result["process_cpu_ms" + suffix] = Round(P(list, s => s.CpuMs, 0.5));
            result["gc_pause_ms" + suffix] = Round(P(list, s => s.GcPauseMs, 0.5));
        }

        var first = samples.Values.First()[^1];
        var peerTotal = P(peer, s => s.Total, 0.5);
        var software = overheads.Max();
        var at424 = samples.TryGetValue(424, out var fast) ? P(fast, s => s.Total, 0.5) : double.NaN;
        result["software_overhead_ms"] = Round(software);
        result["software_overhead_formula"] = "p50 over sessions of (total − card time modelled for the session's APDUs − patient time − sim late), the largest over the rates; sim late = Σ per APDU max(0, answer sent − (command arrived + modelled exchange)), measured by the virtual card's link";
        result["patient_ms"] = PatientMs;
        result["card_apdus"] = first.Trace.Count;
        result["card_bytes"] = first.Trace.Sum(e => e.CommandLength + e.ResponseLength);
        result["card_rsa_ops"] = first.Trace.Count(e => e.Ins == 0x2A);
        result["peer_unpaced_total_ms"] = Round(peerTotal);
        result["software_overhead_ms_unpaced"] = Round(peerTotal - PatientMs);
        result["goal_total_ms_424"] = 800;
        result["goal_software_overhead_ms"] = 30;
        result["goal_met"] = at424 <= 800 && software <= 30;
        result["load_average_1m"] = LoadAverage();
        result["runs"] = runs;
        result["failed_sessions"] = failed;
        result["camera"] = cameraMode;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total p50 at 424 kbit/s {at424:F0} ms (goal ≤ 800: {(at424 <= 800 ? "met" : "missed")}); software overhead {software:F0} ms, the largest over the rates (goal ≤ 30: {(software <= 30 ? "met" : "missed")}); unpaced peer {peerTotal:F0} ms"));
        Console.WriteLine("software overhead = p50 of (total − modelled card time − patient time − sim late); sim late = Σ per APDU max(0, answer sent − (command arrived + modelled exchange)), the virtual card's own lateness (software_overhead_incl_sim_late_ms_<rate> counts it as ours)");
        Console.WriteLine(JsonSerializer.Serialize(result, Json));
        return 0;
    }

    private static string InstructionName(byte ins) => ins switch
    {
        0xA4 => "SELECT",
        0xB0 => "READ BINARY",
        0x20 => "VERIFY",
        0x2A => "PERFORM SECURITY OPERATION, RSA on the card",
        0x84 => "GET CHALLENGE",
        0x88 => "INTERNAL AUTHENTICATE",
        0xC0 => "GET RESPONSE",
        _ => "other",
    };


    private static double Round(double value) => Math.Round(value, 1);

    /// <summary>The 1-minute load average at the end (the machine is shared: wall figures only compare within a run).</summary>
    private static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static void Say(string line) => Console.Error.WriteLine($"[bench session] {line}");

    private static int IntArg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private sealed record Sample(string SessionId, IReadOnlyDictionary<SessionMilestoneKind, TimeSpan> Phases, IReadOnlyList<ApduTraceEntry> Trace, ContactlessLink? Link)
    {
        /// <summary>The session ended without a result (e.g. the card failed): counted, not measured.</summary>
        public bool Failed { get; init; }

        /// <summary>The card's time for this session's APDUs over the link the reader set up (0 unpaced).</summary>
        public double CardModelMs => Link is null ? 0 : Trace.Sum(e => Link.ExchangeMs(e.CommandLength, e.ResponseLength, e.Ins == 0x2A));

        public double Card => At(SessionMilestoneKind.MethodChosen);

        public double Face => At(SessionMilestoneKind.FaceDecided) - At(SessionMilestoneKind.MethodChosen);

        public double Consent => At(SessionMilestoneKind.ConsentConfirmed) - At(SessionMilestoneKind.FaceDecided);

        public double Publish => At(SessionMilestoneKind.ResultSubmitted) - At(SessionMilestoneKind.ConsentConfirmed);

        public double Total => At(SessionMilestoneKind.ResultSubmitted);

        public double Ack => At(SessionMilestoneKind.ResultAcknowledged) - At(SessionMilestoneKind.ResultSubmitted);

        public double At(SessionMilestoneKind kind) => Phases.TryGetValue(kind, out var at) ? at.TotalMilliseconds : double.NaN;

        /// <summary>The link's timed exchanges of this session (sim side).</summary>
        public IReadOnlyList<CardExchangeTiming> Exchanges { get; init; } = [];

        /// <summary>Milestones on the Stopwatch clock (the link's timings use the same clock: one process).</summary>
        public IReadOnlyDictionary<SessionMilestoneKind, long> Stamps { get; init; } = new Dictionary<SessionMilestoneKind, long>();

        /// <summary>CPU time of this process (service, virtual card, cameras) from insertion to the terminal's acknowledgement.</summary>
        public double CpuMs { get; init; } = double.NaN;

        /// <summary>Time the runtime paused this process's managed threads for garbage collection (insertion → acknowledgement): the in-process virtual card stops too.</summary>
        public double GcPauseMs { get; init; } = double.NaN;

        private IEnumerable<CardExchangeTiming> BeforeResult =>
            Stamps.TryGetValue(SessionMilestoneKind.ResultSubmitted, out var end) ? Exchanges.Where(e => e.Answered <= end) : Exchanges;

        /// <summary>
        /// The stand-in card's own lateness: per exchange, how long after its model's due time (arrival + modelled
        /// exchange) the virtual card answered, summed over the session's exchanges. A real card's timing does not
        /// depend on our host's load, so this is not the software's; it is reported beside it, never dropped.
        /// </summary>
        public double SimLateMs => Link is null ? 0 : BeforeResult.Sum(e => e.LateMs);

        /// <summary>The software's share: total − modelled card time − patient time − the simulator's lateness.</summary>
        public double Software(double patientMs) => Total - CardModelMs - patientMs - SimLateMs;

        /// <summary>When the card's last answer before the result left it, in ms after placement.</summary>
        public double LastAnsweredMs => BeforeResult.LastOrDefault() is { Answered: > 0 } last && Stamps.TryGetValue(SessionMilestoneKind.CardPlaced, out var placed) ? Ms(placed, last.Answered) : double.NaN;

        /// <summary>How long the card (the link and the virtual card) held the session's exchanges: the model's time plus the sim's lateness.</summary>
        public double CardHeldMs => BeforeResult.Sum(e => e.HeldMs);

        public double FirstApduMs => Exchanges.Count > 0 && Stamps.TryGetValue(SessionMilestoneKind.CardPlaced, out var placed) ? Ms(placed, Exchanges[0].Received) : double.NaN;

        public double GapsMs => GapsBefore().Sum(g => g.Ms);

        public double TailMs => BeforeResult.LastOrDefault() is { Answered: > 0 } last && Stamps.TryGetValue(SessionMilestoneKind.ResultSubmitted, out var end) ? Ms(last.Answered, end) : double.NaN;

        /// <summary>Each exchange's lateness against its modelled due time (the virtual card's, not the host's).</summary>
        public IEnumerable<(int Index, byte Ins, double Ms)> LateExchanges() => BeforeResult.Select((e, i) => (i, e.Ins, e.LateMs));

        /// <summary>The host's time before each exchange after the first (its answer left the card → the next command arrived).</summary>
        public IEnumerable<(int Index, byte Ins, double Ms)> GapsBefore()
        {
            var list = BeforeResult.ToList();
            for (var i = 1; i < list.Count; i++)
            {
                yield return (i, list[i].Ins, Ms(list[i - 1].Answered, list[i].Received));
            }
        }

        private static double Ms(long from, long to) => (to - from) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
    }
}
