using System.CommandLine;
using System.Diagnostics;
using SkiaSharp;
using Reader.CardFace;
using Reader.CardFace.Reading;
using Reader.CardFace.Recognition;
using Reader.Device.Hosting.Sections;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.CardFace;

namespace Reader.CardFace.Bench;

/// <summary>
/// <c>eval-rendered [--n N] [--seed S] [--effects …]</c> (<c>./reader ocr eval</c>): renders N made-up card faces on the tray
/// (the simulator's card-face renderer) (each a
/// placement of up to three frames), reads them with the product's <see cref="CardFaceScanner"/> and prints the
/// JSON summary on the last line (exact_match, wrong_verify, replace_rate, p50_ms, p95_ms per look). The rendered
/// identity is the truth. Only the product's read is timed (not the rendering).
/// </summary>
internal static class RenderedEvalCommand
{
    internal static Command Create()
    {
        var n = new Option<int>("--n") { Description = "number of placements (cards)", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "seed of people and placements", DefaultValueFactory = _ => 1 };
        var effects = new Option<string>("--effects") { Description = $"mix (default) | clean | none | name[=strength],…: {string.Join(", ", CardFaceEffects.Names)}", DefaultValueFactory = _ => "mix" };
        var foreign = new Option<double>("--foreign-share") { Description = "share of foreign residents' cards (Gregorian birth date)", DefaultValueFactory = _ => 0.1 };
        var engineOption = new Option<string>("--engine") { Description = "paddle (PP-OCRv4 on ONNX Runtime, the product's default) | tesseract (the measured alternative)", DefaultValueFactory = _ => new CardFaceOptions().Engine };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads of the PP-OCR recogniser (default: the product's)", DefaultValueFactory = _ => new CardFaceOptions().IntraOpThreads };
        var verbose = new Option<bool>("--verbose") { Description = "one line per placement on stderr (outcome and problems; no values)" };
        var eval = new Command("eval-rendered", "render N card faces, read them, print the JSON summary last") { n, seed, effects, foreign, engineOption, threads, verbose };
        eval.SetAction(parse =>
        {
            var count = parse.GetValue(n);
            var options = new CardFaceOptions { Engine = parse.GetValue(engineOption)!, IntraOpThreads = parse.GetValue(threads) };
            var problems = options.Validate().ToList(); // the service's own checks of these settings
            if (problems.Count > 0)
            {
                problems.ForEach(Console.Error.WriteLine);
                return 2;
            }

            var random = new Random(parse.GetValue(seed));
            var mix = CardFaceEffects.Parse(parse.GetValue(effects));
            using var engine = options.CreateEngine(); // the service's engine factory
            var scanner = new CardFaceScanner(engine);
            var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
            var portraitPath = CardPhoto.DefaultPortrait();
            using var portrait = portraitPath is null ? null : SKBitmap.Decode(portraitPath);
            var evaluation = new CardFaceEvaluation();
            var cpu = new List<double>();
            using var process = Process.GetCurrentProcess();
            var total = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var (printed, _) = SyntheticPerson.Make(random, today, random.NextDouble() < parse.GetValue(foreign));
                using var artwork = CardFaceArtwork.Draw(printed, portrait, TrayCamera.ArtworkPixelsPerMm, random.Next());
                var placement = CardFaceScenePlanner.Plan(mix, random);
                var truth = printed.CodeB;
                var looks = new List<(CardFaceProblem, bool, double)>();
                var steps = new List<string>();
                var confidences = new List<string>();
                for (var frame = 0; frame < CardFaceEvaluation.FramesPerPlacement; frame++)
                {
                    using var image = TrayCamera.Render(artwork, placement, frame);
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    var started = Stopwatch.GetTimestamp();
                    using var reading = scanner.Read(image, today);
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    process.Refresh();
                    cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                    looks.Add((reading.Problem, reading.Problem == CardFaceProblem.None && reading.CodeBEquals(truth), ms));
                    steps.Add(reading.Step);
                    confidences.Add($"{reading.Confidence.BirthDate:0.00}/{reading.Confidence.Expiry:0.00}/{reading.Confidence.SecurityCode:0.00}");
                    if (reading.Problem == CardFaceProblem.None)
                    {
                        break;
                    }
                }

                evaluation.Add(true, looks);
                if (parse.GetValue(verbose))
                {
                    var outcomes = looks.Select((l, k) => l.Item1 == CardFaceProblem.None ? (l.Item2 ? "ok" : "WRONG") : $"{l.Item1}@{steps[k]}");
                    Console.Error.WriteLine($"{i}: {string.Join(" ", outcomes)} [{string.Join(" ", confidences)}] {Describe(placement)}");
                }
            }

            Console.WriteLine(evaluation.ToJson(engine.Name, new Dictionary<string, object>
            {
                ["effects"] = mix.ToString(),
                ["threads"] = parse.GetValue(engineOption) == "paddle" ? parse.GetValue(threads) : "not used",
                ["seed"] = parse.GetValue(seed),
                ["wall_s"] = Math.Round(total.Elapsed.TotalSeconds, 1),
                ["cores"] = Environment.ProcessorCount,
                // CPU time of the whole process per look (every thread): what a look costs when the machine is not shared.
                ["cpu_p50_ms"] = CardFaceEvaluation.Percentile(cpu, 0.50),
                ["cpu_p95_ms"] = CardFaceEvaluation.Percentile(cpu, 0.95),
                ["load_average"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?",
            }));
            return 0;
        });
        return eval;
    }

    /// <summary>The placement's effects (no card data), for the verbose lines.</summary>
    private static string Describe(CardPlacement p) =>
        FormattableString.Invariant($"rot={p.RotationDegrees:0.0} off={p.OffsetXMm:0.0},{p.OffsetYMm:0.0} blur={p.Blur:0.0} noise={p.Noise:0.0} jpeg={p.Jpeg} exposure={p.Exposure:0.00} cover={p.CoverHaze:0.00}")
        + (p.Glare is { } g ? FormattableString.Invariant($" glare={g.Peak:0.00}@{g.U:0.00},{g.V:0.00}") : "")
        + (p.Finger is { } f ? FormattableString.Invariant($" finger={f.Corner}") : "");
}
