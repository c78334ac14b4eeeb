using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reader.Vision.Bench;

/// <summary>Options every verb takes, and the one-JSON-object-on-the-last-line output.</summary>
internal static class CommonOptions
{
    internal static readonly Option<string?> Models = new("--models") { Description = "model cache folder (default: READER_MODELS or the repository's .cache/models)" };
    internal static readonly Option<int> Threads = new("--threads") { Description = "ONNX Runtime intra-op threads", DefaultValueFactory = _ => 2 };
    internal static readonly Option<double?> Threshold = new("--threshold") { Description = "cosine match threshold (overrides --far)" };
    internal static readonly Option<double> Far = new("--far") { Description = "target false-accept rate for the match threshold", DefaultValueFactory = _ => 1e-3 };
    internal static readonly Option<bool?> Framing = new("--framing") { Description = "search again with a padded frame when a face fills the frame or touches an edge (default: on)" };
    internal static readonly Option<double?> FramingPadding = new("--framing-padding") { Description = "border on each side for the second search, as a fraction of the frame (default 0.3)" };
    internal static readonly Option<double?> FramingWidest = new("--framing-widest") { Description = "border for a last search on a frame whose face needs room, taken when clearly more confident (default 1.0; 0 = none)" };
    internal static readonly Option<double?> FramingWider = new("--framing-wider") { Description = "border for a third search when the padded copy still shows no face or one filling it (default 0.6; 0 = none)" };
    internal static readonly Option<string?> FramingFill = new("--framing-fill") { Description = "border fill: replicate or a grey level 0-255 (default: 127)" };
    internal static readonly Option<bool?> FramingAlignOnFrame = new("--framing-align-on-frame") { Description = "align a face cut by the frame edge on the frame, outside black (default: true), or on the padded copy (false)" };
    internal static readonly Option<bool?> EnrolmentJitter = new("--enrol-jitter") { Description = "enrol the card photo as the mean embedding of its aligned face and six shifted/scaled copies (default: on)" };
    internal static readonly Option<string?> EnrolmentMirror = new("--enrol-mirror") { Description = "mirrored copies in the jittered card template: none, centre or all (default: the configured)" };
    internal static readonly Option<bool?> LiveMirror = new("--live-mirror") { Description = "embed each live face averaged with its mirror image (default: the configured)" };
    internal static readonly Option<double?> SingleAlignmentBar = new("--single-alignment-bar") { Description = "one-alignment card score that is a match without the jittered template; 2 = rule off (default: the configured 0.50)" };
    internal static readonly Option<bool?> GreyLive = new("--grey-live") { Description = "grey the live/photo side before embedding when the reference is grey (default: on)" };

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    internal static void AddTo(Command command, bool threshold = true)
    {
        command.Options.Add(Models);
        command.Options.Add(Threads);
        command.Options.Add(Framing);
        command.Options.Add(FramingPadding);
        command.Options.Add(FramingFill);
        command.Options.Add(FramingWider);
        command.Options.Add(FramingWidest);
        command.Options.Add(FramingAlignOnFrame);
        command.Options.Add(EnrolmentJitter);
        command.Options.Add(SingleAlignmentBar);
        command.Options.Add(EnrolmentMirror);
        command.Options.Add(LiveMirror);
        if (threshold)
        {
            command.Options.Add(Threshold);
            command.Options.Add(Far);
            command.Options.Add(GreyLive);
        }
    }

    internal static VisionOptions Build(ParseResult parse)
    {
        var options = new VisionOptions
        {
            ModelDirectory = parse.GetValue(Models),
            IntraOpThreads = parse.GetValue(Threads),
        };
        if (parse.GetResult(Framing) is not null && parse.GetValue(Framing) is { } framing)
        {
            options.Framing.Enabled = framing;
        }

        if (parse.GetResult(EnrolmentJitter) is not null && parse.GetValue(EnrolmentJitter) is { } jitter)
        {
            options.EnrolmentJitter = jitter;
        }

        if (parse.GetValue(EnrolmentMirror) is { } mirror)
        {
            options.EnrolmentMirror = mirror.ToLowerInvariant() switch
            {
                "none" => MirrorCopies.None,
                "centre" or "center" => MirrorCopies.Centre,
                "all" => MirrorCopies.AllAlignments,
                _ => throw new FormatException($"--enrol-mirror {mirror}: expected none, centre or all"),
            };
        }

        if (parse.GetResult(LiveMirror) is not null && parse.GetValue(LiveMirror) is { } liveMirror)
        {
            options.LiveMirror = liveMirror;
        }

        if (parse.GetValue(SingleAlignmentBar) is { } bar)
        {
            options.SingleAlignmentMatchThreshold = bar > 1 ? null : bar;
        }

        if (parse.GetValue(FramingPadding) is { } padding)
        {
            options.Framing.Padding = padding;
        }

        if (parse.GetValue(FramingWidest) is { } widest)
        {
            options.Framing.WidestPadding = widest;
        }

        if (parse.GetValue(FramingAlignOnFrame) is { } onFrame)
        {
            options.Framing.AlignOnFrame = onFrame;
        }

        if (parse.GetValue(FramingWider) is { } wider)
        {
            options.Framing.WiderPadding = wider;
        }

        if (parse.GetValue(FramingFill) is { } fill)
        {
            if (fill.Equals("replicate", StringComparison.OrdinalIgnoreCase))
            {
                options.Framing.Fill = Imaging.BorderMode.Replicate;
            }
            else if (byte.TryParse(fill, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level))
            {
                options.Framing.Fill = Imaging.BorderMode.Constant;
                options.Framing.FillValue = level;
            }
            else
            {
                throw new FormatException($"--framing-fill {fill}: expected replicate or a grey level 0-255");
            }
        }

        if (parse.GetResult(Far) is not null)
        {
            options.TargetFalseAcceptRate = parse.GetValue(Far);
        }

        if (parse.GetResult(Threshold) is not null)
        {
            options.MatchThreshold = parse.GetValue(Threshold);
        }

        if (parse.GetResult(GreyLive) is not null && parse.GetValue(GreyLive) is { } grey)
        {
            options.GreyLiveFace = grey;
        }

        return options;
    }

    /// <summary>Writes one JSON object on one line (the last line of every verb).</summary>
    internal static void PrintJson(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    internal static double Round(double value, int digits = 4) =>
        double.IsFinite(value) ? Math.Round(value, digits, MidpointRounding.AwayFromZero) : value;

    internal static string Percent(double value) => double.IsFinite(value)
        ? (value * 100).ToString("F2", CultureInfo.InvariantCulture) + " %"
        : "n/a";

    internal static string Number(double value, string format = "F4") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Runs a verb body, turning the known failures into one clear line and exit code 2.</summary>
    internal static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is VisionModelException or ArgumentException or VisionRuntimeException or FileNotFoundException
            or DirectoryNotFoundException or FormatException or Imaging.ImageFormatException)
        {
            Console.Error.WriteLine($"reader-vision: {e.Message}");
            return 2;
        }
    }
}
