using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Reader.CardFace;
using Reader.CardFace.Reading;
using Reader.CardFace.Recognition;
using Reader.Device.Hosting.Sections;
using Reader.Imaging;
using Reader.Imaging.Codecs;

namespace Reader.CardFace.Bench;

/// <summary>
/// <c>ocr read IMAGE</c> and <c>ocr eval --labels FILE</c>: the product's card-face reader on any photo, because that
/// is how it is evaluated on card faces nobody here rendered. Development commands, never in a bundle: <c>ocr read</c>
/// prints the fields and the 照合番号B it would send (the service never prints or logs them). The rendered run is
/// <see cref="RenderedEvalCommand"/> (<c>./reader ocr eval</c> without --labels).
/// </summary>
internal static class PhotoCommands
{
    public static IEnumerable<Command> Create()
    {
        var image = new Argument<string>("image") { Description = "a photo of a card face (JPEG, PNG, WebP, JPEG 2000)" };
        var engine = new Option<string>("--engine") { Description = "paddle (the product's default) | tesseract", DefaultValueFactory = _ => new CardFaceOptions().Engine };
        var read = new Command("read", "read one photo; last line JSON with the fields, per-field confidence, the gate and the 照合番号B it would send") { image, engine };
        read.SetAction(parse => Read(parse.GetValue(image)!, parse.GetValue(engine)!));

        var labels = new Option<string>("--labels") { Description = "CSV 'file,code_b' (paths relative to the CSV; empty code_b: the image must be refused)", Required = true };
        var eval = new Command("eval", "read every labelled photo once; last line JSON (exact_match, wrong_verify, replace_rate, p50_ms, p95_ms)") { labels, engine };
        eval.SetAction(parse => Evaluate(parse.GetValue(labels)!, parse.GetValue(engine)!));
        yield return read;
        yield return eval;
    }

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));

    private static ITextLineRecognizer CreateEngine(string name) => new CardFaceOptions { Engine = name }.CreateEngine();

    private static int Read(string path, string engineName)
    {
        using var engine = CreateEngine(engineName);
        var scanner = new CardFaceScanner(engine);
        using var frame = ImageDecoder.Decode(File.ReadAllBytes(path));
        using var reading = scanner.Read(frame, Today, out var timings);
        Span<char> code = stackalloc char[14];
        var accepted = reading.CopyCodeBTo(code);
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["file"] = path,
            ["engine"] = engine.Name,
            ["gate_passed"] = reading.Problem == CardFaceProblem.None,
            ["problem"] = reading.Problem.ToString(),
            ["birth_date"] = accepted ? reading.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            ["birth_date_gregorian_print"] = accepted ? reading.GregorianBirthDate : null,
            ["expiry"] = accepted ? reading.PrintedExpiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            ["security_code"] = accepted ? new string(reading.SecurityCode) : null,
            ["confidence"] = new { birth_date = Math.Round(reading.Confidence.BirthDate, 3), expiry = Math.Round(reading.Confidence.Expiry, 3), security_code = Math.Round(reading.Confidence.SecurityCode, 3) },
            ["code_b"] = accepted ? new string(code) : null,
            ["ms"] = Math.Round(timings.Total, 1),
        }));
        code.Clear();
        return reading.Problem == CardFaceProblem.None ? 0 : 1;
    }

    private static int Evaluate(string labels, string engineName)
    {
        using var engine = CreateEngine(engineName);
        var scanner = new CardFaceScanner(engine);
        var evaluation = new CardFaceEvaluation();
        var folder = Path.GetDirectoryName(Path.GetFullPath(labels))!;
        foreach (var line in File.ReadLines(labels))
        {
            var fields = line.Split(',');
            if (fields.Length < 2 || fields[0].Trim() is "file" or "")
            {
                continue;
            }

            var truth = fields[1].Trim();
            using var frame = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(folder, fields[0].Trim())));
            var started = Stopwatch.GetTimestamp();
            using var reading = scanner.Read(frame, Today);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            evaluation.Add(truth.Length > 0, [(reading.Problem, reading.Problem == CardFaceProblem.None && reading.CodeBEquals(truth), ms)]);
        }

        Console.WriteLine(evaluation.ToJson(engine.Name, new Dictionary<string, object> { ["labels"] = labels, ["cores"] = Environment.ProcessorCount }));
        return 0;
    }
}
