using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reader.Card.Apdu;
using Reader.Device.Hosting;
using Reader.Device.Session;
using Reader.EndToEnd.Tests.Rig;
using Reader.HardwareSim.Camera;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Vpcd;
using Reader.Protocol.Pairing;

namespace Reader.EndToEnd.Tests.Bench;

/// <summary>
/// <c>./reader bench session</c>: device-side time from card placed to result published, split by phase, with a
/// patient who answers instantly on the session's <c>IKioskSession</c> (no browser). The in-process
/// <see cref="ReaderService"/> runs on a private pcscd + vpcd with the virtual card at 212 kbit/s (the slot's
/// contactless timing model), the real face pipeline, mosquitto with TLS and the terminal's watch service.
/// Peer in the same run: the same session with the card unthrottled (alternating, so load falls on both).
/// The card's modelled air time (bytes, frames, RSA operations) is printed as the floor the card alone sets.
/// </summary>
internal static class SessionBench
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = IntArg(args, "--runs", 15);
        var warmup = IntArg(args, "--warmup", 2);
        var kbit = IntArg(args, "--kbit", 212);
        var cameraMode = StringArg(args, "--camera", "instant");
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
            return await MeasureAsync(folder, runs, warmup, kbit, cameraMode, token);
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

    private static async Task<int> MeasureAsync(string folder, int runs, int warmup, int kbit, string cameraMode, CancellationToken token)
    {
        Say($"setting up: private pcscd + vpcd, sim daemon, mosquitto (TLS), terminal; card at {kbit} kbit/s; camera {cameraMode}");
        await using var hardware = await SimulatedHardware.StartAsync(folder, token);
        hardware.Pcscd.UseInThisProcess();
        await using var broker = await ClinicBroker.StartAsync(folder, token);
        var issuer = hardware.CardFaceIssuer;
        var configFile = Path.Combine(folder, "reader.json");
        ReaderProcess.WriteConfig(configFile, new ReaderConfig(hardware.Camera.StreamUrl.ToString(), hardware.ControlSocket, issuer.KeyId, issuer.PublicKey,
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
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        await using var service = ReaderService.Create(options, new ReaderServiceParts
        {
            Camera = cameraMode == "mjpeg" ? null : instantCamera,
            Observer = recorder,
        }, loggers);
        await service.StartAsync(token);
        await service.WaitUntilReadyAsync(token);
        using var stopPatient = CancellationTokenSource.CreateLinkedTokenSource(token);
        var patient = Task.Run(() => InstantPatient.RunAsync(service.Kiosk, stopPatient.Token), token);
        Say($"reader {readerId} paired and ready; {warmup} warm-up + {runs} measured sessions at {kbit} kbit/s, each followed by one with the card unthrottled (peer)");

        var card = hardware.Readers.GetOrCreateCard("bench-card", new VirtualCardSpec { PortraitPath = RigPaths.HolderPortrait });
        var slow = new List<Sample>();
        var fast = new List<Sample>();
        string? previous = null;
        for (var i = 0; i < warmup + runs; i++)
        {
            foreach (var throttled in new[] { true, false })
            {
                var sample = await OneSessionAsync(hardware, card, throttled ? new ContactlessTiming(kbit) : null, recorder, terminal, previous, token);
                previous = sample.SessionId;
                if (i >= warmup)
                {
                    (throttled ? slow : fast).Add(sample);
                }
            }

            Say(string.Create(CultureInfo.InvariantCulture, $"  run {i + 1}/{warmup + runs}{(i < warmup ? " (warm-up)" : "")}: total {slow.LastOrDefault()?.Total ?? 0:F0} ms at {kbit} kbit/s, {fast.LastOrDefault()?.Total ?? 0:F0} ms unthrottled"));
        }

        await stopPatient.CancelAsync();
        await patient;
        return Report(slow, fast, kbit, runs, cameraMode);
    }

    private static async Task<Sample> OneSessionAsync(SimulatedHardware hardware, VirtualMyNumberCard card, ContactlessTiming? timing, MilestoneRecorder recorder,
        TerminalWatch terminal, string? previous, CancellationToken token)
    {
        await hardware.Readers.InsertAsync(0, card, new SlotBehaviour { Timing = timing });
        var session = await recorder.WaitAsync(previous, [SessionMilestoneKind.ResultSubmitted, SessionMilestoneKind.SessionAborted], TimeSpan.FromSeconds(90), token);
        await terminal.WaitUntilAsync(t => t.Results.Any(r => r.Result.SessionId == session), TimeSpan.FromSeconds(30), token);
        await recorder.WaitAsync(previous, [SessionMilestoneKind.ResultAcknowledged], TimeSpan.FromSeconds(30), token);
        var trace = card.Counters.CurrentCycle;
        await hardware.Readers.RemoveAsync(0);
        await recorder.WaitAsync(previous, [SessionMilestoneKind.SessionEnded], TimeSpan.FromSeconds(30), token);
        var phases = recorder.Of(session);
        if (!phases.ContainsKey(SessionMilestoneKind.ResultSubmitted))
        {
            throw new InvalidOperationException($"session {session} did not deliver a result (phases: {string.Join(", ", phases.Keys)})");
        }

        return new Sample(session, phases, trace);
    }

    private static int Report(List<Sample> slow, List<Sample> fast, int kbit, int runs, string cameraMode)
    {
        var model = new ContactlessTiming(kbit);
        var trace = slow[^1].Trace;
        var air = trace.Sum(e => model.ExchangeMs(e.CommandLength, e.ResponseLength, e.Ins == 0x2A));
        var bytes = trace.Sum(e => e.CommandLength + e.ResponseLength);
        var frames = trace.Sum(e => Frames(e.CommandLength) + Frames(e.ResponseLength));
        var rsa = trace.Count(e => e.Ins == 0x2A);
        var rsaMs = rsa * model.RsaMs;

        double P(List<Sample> s, Func<Sample, double> f, double q) => Percentile(s.Select(f).ToList(), q);
        var rows = new (string Name, Func<Sample, double> Value)[]
        {
            ("card (placed → method chosen)", s => s.Card),
            ("face (method → face decided)", s => s.Face),
            ("consent (decided → confirmed)", s => s.Consent),
            ("publish (confirmed → submitted)", s => s.Publish),
            ("total (placed → result published)", s => s.Total),
            ("terminal ack (published → acknowledged)", s => s.Ack),
            ("  certificate read", s => s.At(SessionMilestoneKind.CertificateRead)),
            ("  terminal card check answered", s => s.At(SessionMilestoneKind.CardCheckAnswered)),
            ("  chip photo read", s => s.At(SessionMilestoneKind.PhotoRead)),
            ("  chip genuineness verified", s => s.At(SessionMilestoneKind.ChipVerified)),
            ("  card photo enrolled", s => s.At(SessionMilestoneKind.TemplateEnrolled)),
        };
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"phase (ms)",-42} {kbit + " kbit/s p50",14} {"p90",8} {"unthrottled p50",16} {"p90",8}"));
        foreach (var (name, value) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-42} {P(slow, value, 0.5),14:F0} {P(slow, value, 0.9),8:F0} {P(fast, value, 0.5),16:F0} {P(fast, value, 0.9),8:F0}"));
        }

        var total = P(slow, s => s.Total, 0.5);
        var peer = P(fast, s => s.Total, 0.5);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"card model at {kbit} kbit/s (one session, last run): {trace.Count} APDUs, {bytes} bytes in {frames} frames → air {air - rsaMs:F0} ms + {rsa} RSA × {model.RsaMs:F0} ms = {air:F0} ms of card time"));
        foreach (var group in trace.GroupBy(e => e.Ins).OrderByDescending(g => g.Sum(e => model.ExchangeMs(e.CommandLength, e.ResponseLength, e.Ins == 0x2A))))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  INS {group.Key:X2} ({InstructionName(group.Key)}): {group.Count()} APDUs, {group.Sum(e => e.CommandLength + e.ResponseLength)} bytes, {group.Sum(e => model.ExchangeMs(e.CommandLength, e.ResponseLength, e.Ins == 0x2A)):F0} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total p50 {total:F0} ms vs goal 800 ms ({(total <= 800 ? "met" : "missed")}); the card model alone is {air:F0} ms; unthrottled peer {peer:F0} ms (ratio {total / Math.Max(1, peer):F2})"));
        var result = new Dictionary<string, object>
        {
            ["card_ms"] = Round(P(slow, s => s.Card, 0.5)),
            ["face_ms"] = Round(P(slow, s => s.Face, 0.5)),
            ["consent_ms"] = Round(P(slow, s => s.Consent, 0.5)),
            ["publish_ms"] = Round(P(slow, s => s.Publish, 0.5)),
            ["total_ms"] = Round(total),
            ["total_p90_ms"] = Round(P(slow, s => s.Total, 0.9)),
            ["ack_ms"] = Round(P(slow, s => s.Ack, 0.5)),
            ["certificate_read_ms"] = Round(P(slow, s => s.At(SessionMilestoneKind.CertificateRead), 0.5)),
            ["photo_read_ms"] = Round(P(slow, s => s.At(SessionMilestoneKind.PhotoRead), 0.5)),
            ["chip_verified_ms"] = Round(P(slow, s => s.At(SessionMilestoneKind.ChipVerified), 0.5)),
            ["template_enrolled_ms"] = Round(P(slow, s => s.At(SessionMilestoneKind.TemplateEnrolled), 0.5)),
            ["card_model_ms"] = Round(air),
            ["card_apdus"] = trace.Count,
            ["card_bytes"] = bytes,
            ["card_frames"] = frames,
            ["card_rsa_ops"] = rsa,
            ["peer_unthrottled_total_ms"] = Round(peer),
            ["ratio_to_peer"] = Math.Round(total / Math.Max(1, peer), 2),
            ["goal_ms"] = 800,
            ["goal_met"] = total <= 800,
            ["kbit"] = kbit,
            ["runs"] = runs,
            ["camera"] = cameraMode,
        };
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

    private static int Frames(int bytes) => Math.Max(1, (bytes + ContactlessTiming.FrameSize - ContactlessTiming.FrameOverhead - 1) / (ContactlessTiming.FrameSize - ContactlessTiming.FrameOverhead));

    private static double Round(double value) => Math.Round(value, 1);

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

    private sealed record Sample(string SessionId, IReadOnlyDictionary<SessionMilestoneKind, TimeSpan> Phases, IReadOnlyList<ApduTraceEntry> Trace)
    {
        public double Card => At(SessionMilestoneKind.MethodChosen);

        public double Face => At(SessionMilestoneKind.FaceDecided) - At(SessionMilestoneKind.MethodChosen);

        public double Consent => At(SessionMilestoneKind.ConsentConfirmed) - At(SessionMilestoneKind.FaceDecided);

        public double Publish => At(SessionMilestoneKind.ResultSubmitted) - At(SessionMilestoneKind.ConsentConfirmed);

        public double Total => At(SessionMilestoneKind.ResultSubmitted);

        public double Ack => At(SessionMilestoneKind.ResultAcknowledged) - At(SessionMilestoneKind.ResultSubmitted);

        public double At(SessionMilestoneKind kind) => Phases.TryGetValue(kind, out var at) ? at.TotalMilliseconds : double.NaN;
    }
}
