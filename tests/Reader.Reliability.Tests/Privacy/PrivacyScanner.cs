using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Reader.Reliability.Tests.Privacy;

/// <summary>What was found (never the value itself: <see cref="What"/> says which secret and in which form).</summary>
internal sealed record PrivacyHit(string Kind, string What, string Where, long Offset)
{
    public override string ToString() => $"{Kind}: {What} in {Where} at byte {Offset}";
}

/// <summary>
/// Looks through bytes (a file, an MQTT message, a process's output) for what must never be stored or sent: image
/// data (JPEG, JPEG 2000, PNG: raw or base64), float arrays the size of a face embedding (raw float32/float64, as
/// text, or base64), and each virtual identity's name, address, birth date, PIN, 照合番号B and My Number in every
/// encoding a program could give them: UTF-8, UTF-16 (both byte orders), Shift_JIS, EUC-JP, JSON \u escapes, base64
/// at each alignment, hex, era and Gregorian dates, digits with and without separators.
/// All patterns go into one multi-pattern search (<see cref="SearchValues{T}"/> over a Latin-1 view of the bytes), so
/// a scan is one pass whatever the number of forms.
/// </summary>
internal sealed partial class PrivacyScanner
{
    public const int EmbeddingLength = 512;
    private const int NumbersInATextArray = 128;
    private readonly List<Needle> needles = [];
    private readonly SearchValues<string> search;
    private readonly Dictionary<char, List<Needle>> byFirst = [];

    static PrivacyScanner() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public PrivacyScanner(IEnumerable<ScanIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        AddImageMagic();
        foreach (var person in identities)
        {
            foreach (var text in person.TextForms())
            {
                AddText("name or address", person.Label, text);
            }

            foreach (var date in person.BirthDateForms())
            {
                AddText("birth date", person.Label, date);
            }

            foreach (var (what, digits) in person.DigitForms())
            {
                AddDigits(what, person.Label, digits);
            }
        }

        foreach (var needle in needles)
        {
            if (!byFirst.TryGetValue(needle.Pattern[0], out var list))
            {
                byFirst[needle.Pattern[0]] = list = [];
            }

            list.Add(needle);
        }

        search = SearchValues.Create([.. needles.Select(n => n.Pattern).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal);
    }

    /// <summary>How many forms are looked for (for the report).</summary>
    public int Forms => needles.Count;

    public IReadOnlyList<PrivacyHit> Scan(string where, ReadOnlySpan<byte> content)
    {
        var hits = new List<PrivacyHit>();
        if (content.IsEmpty)
        {
            return hits;
        }

        // Latin-1 maps each byte to one char: byte patterns become ordinal string patterns.
        var text = Encoding.Latin1.GetString(content);
        FindNeedles(text, where, "", hits);
        FindFloatRuns(content, where, "raw", 0, hits);
        FindNumberArrays(text, where, hits);
        FindBase64Payloads(text, where, hits);
        return hits;
    }

    /// <summary>Every fixed form in <paramref name="text"/> (a Latin-1 view of bytes); <paramref name="form"/> marks decoded content.</summary>
    private void FindNeedles(string text, string where, string form, List<PrivacyHit> hits)
    {
        var at = 0;
        while (at < text.Length)
        {
            var found = text.AsSpan(at).IndexOfAny(search);
            if (found < 0)
            {
                break;
            }

            var position = at + found;
            foreach (var needle in byFirst[text[position]])
            {
                if (text.AsSpan(position).StartsWith(needle.Pattern, StringComparison.Ordinal) && needle.Accept(text, position))
                {
                    hits.Add(new PrivacyHit(needle.Kind, needle.What + form, where, position));
                }
            }

            at = position + 1;
        }
    }

    // ---- the forms ----

    private void AddImageMagic()
    {
        // JPEG: SOI, then a first segment a real file starts with (see LooksLikeJpegStart) — so random bytes do not match.
        Add("image", "JPEG (start of image)", [0xFF, 0xD8, 0xFF], (s, i, _) => LooksLikeJpegStart(s, i));
        Add("image", "PNG signature", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Add("image", "JPEG 2000 (JP2 signature box)", [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]);
        Add("image", "JPEG 2000 codestream (SOC + SIZ)", [0xFF, 0x4F, 0xFF, 0x51, 0x00], (s, i, _) => i + 5 < s.Length && s[i + 5] is >= '\u0029' and <= '\u002F');

        // The same openings as base64 text (a data URI, a JSON string), at the start of the encoded value.
        foreach (var (what, opening) in new[] { ("JPEG as base64", "/9j/4"), ("JPEG as base64", "/9j/2"), ("PNG as base64", "iVBORw0KGgo"), ("JPEG 2000 as base64", "AAAADGpQICAN"), ("JPEG 2000 codestream as base64", "/0//UQ") })
        {
            Add("image", what, Encoding.ASCII.GetBytes(opening), (s, i, _) => i == 0 || !IsBase64Char(s[i - 1]));
        }
    }

    private void AddText(string kind, string label, string value)
    {
        var what = $"{kind} of {label}";
        var digitsOnly = value.All(char.IsAsciiDigit);
        Func<string, int, int, bool>? bounded = digitsOnly ? Bounded(1) : null;
        Add(kind, what + " (UTF-8)", Encoding.UTF8.GetBytes(value), bounded);
        Add(kind, what + " (UTF-16LE)", Encoding.Unicode.GetBytes(value), digitsOnly ? Bounded(2) : null);
        Add(kind, what + " (UTF-16BE)", Encoding.BigEndianUnicode.GetBytes(value), digitsOnly ? Bounded(2) : null);
        if (!value.All(char.IsAscii))
        {
            Add(kind, what + " (Shift_JIS)", Encoding.GetEncoding("shift_jis").GetBytes(value));
            Add(kind, what + " (EUC-JP)", Encoding.GetEncoding("euc-jp").GetBytes(value));
            Add(kind, what + " (JSON \\u escapes)", Encoding.ASCII.GetBytes(JsonEscaped(value, "x4")));
            Add(kind, what + " (JSON \\u escapes)", Encoding.ASCII.GetBytes(JsonEscaped(value, "X4")));
        }

        AddBase64(kind, what, Encoding.UTF8.GetBytes(value));
    }

    private void AddDigits(string kind, string label, string digits)
    {
        var what = $"{kind} of {label}";
        // A 4-digit PIN: bounded also by '-', '.', '_' (parts of ids and numbers), so an id's hex group is not a hit.
        var strict = digits.Length <= 4;
        Add(kind, what + " (digits)", Encoding.ASCII.GetBytes(digits), Bounded(1, strict));
        Add(kind, what + " (digits, UTF-16LE)", Encoding.Unicode.GetBytes(digits), Bounded(2, strict));
        Add(kind, what + " (digits, UTF-16BE)", Encoding.BigEndianUnicode.GetBytes(digits), Bounded(2, strict));
        AddBase64(kind, what, Encoding.ASCII.GetBytes(digits));
        var plain = new string([.. digits.Where(char.IsAsciiDigit)]);
        if (plain.Length != digits.Length)
        {
            return; // the separated forms: text only
        }

        var ascii = Encoding.ASCII.GetBytes(digits);
        Add(kind, what + " (hex)", Encoding.ASCII.GetBytes(Convert.ToHexString(ascii)), Bounded(1));
        Add(kind, what + " (hex)", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(ascii)), Bounded(1));
        Add(kind, what + " (hex with spaces)", Encoding.ASCII.GetBytes(string.Join(' ', ascii.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)))));
        Add(kind, what + " (hex with spaces)", Encoding.ASCII.GetBytes(string.Join(' ', ascii.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)))));
        Add(kind, what + " (digit array)", Encoding.ASCII.GetBytes("[" + string.Join(',', digits.ToCharArray()) + "]"));
        Add(kind, what + " (digit array)", Encoding.ASCII.GetBytes("[" + string.Join(", ", digits.ToCharArray()) + "]"));
        if (digits.Length >= 12)
        {
            // Digit values as bytes (BCD-like buffers): twelve in a row do not happen by chance.
            Add(kind, what + " (digit values as bytes)", [.. digits.Select(c => (byte)(c - '0'))]);
        }
    }

    /// <summary>Base64 of the bytes as a value of its own (with padding) and inside a longer encoded run (each of the three alignments).</summary>
    private void AddBase64(string kind, string what, byte[] bytes)
    {
        Add(kind, what + " (base64)", Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes)), (s, i, _) => i == 0 || !IsBase64Char(s[i - 1]));
        for (var shift = 0; shift < 3; shift++)
        {
            var padded = new byte[shift + bytes.Length];
            bytes.CopyTo(padded, shift);
            var whole = padded.Length / 3 * 3;
            var encoded = Convert.ToBase64String(padded, 0, whole);
            var stable = encoded[(shift switch { 0 => 0, 1 => 2, _ => 3 })..];
            if (stable.Length >= 8)
            {
                Add(kind, what + " (inside base64)", Encoding.ASCII.GetBytes(stable));
            }
        }
    }

    private void Add(string kind, string what, byte[] pattern, Func<string, int, int, bool>? accept = null)
    {
        if (pattern.Length == 0)
        {
            return;
        }

        needles.Add(new Needle(kind, what, Encoding.Latin1.GetString(pattern), accept));
    }

    private static string JsonEscaped(string value, string format)
    {
        var escaped = new StringBuilder();
        foreach (var c in value)
        {
            escaped.Append(c < 0x80 ? c.ToString() : "\\u" + ((int)c).ToString(format, CultureInfo.InvariantCulture));
        }

        return escaped.ToString();
    }

    /// <summary>
    /// A number written alone: the characters (<paramref name="width"/> bytes each) just before and after it are no
    /// letters or digits (nor, if <paramref name="strict"/>, '-', '.' or '_').
    /// </summary>
    private static Func<string, int, int, bool> Bounded(int width, bool strict = false) => (s, start, end) =>
        !Joins(s, start - width, start, strict) && !Joins(s, end, end + width, strict);

    private static bool Joins(string s, int from, int to, bool strict)
    {
        for (var i = Math.Max(0, from); i < Math.Min(s.Length, to); i++)
        {
            if (char.IsAsciiLetterOrDigit(s[i]) || (strict && s[i] is '-' or '.' or '_'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBase64Char(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    // ---- embeddings and images that no fixed pattern finds ----

    /// <summary>
    /// A run of at least <see cref="EmbeddingLength"/> float32 (or float64) values that all look like an embedding's
    /// components (finite, 1e-6 &lt; |x| &lt; 10), at any byte alignment, whose vector has a plausible length.
    /// </summary>
    private static void FindFloatRuns(ReadOnlySpan<byte> content, string where, string form, long baseOffset, List<PrivacyHit> hits)
    {
        foreach (var size in new[] { 4, 8 })
        {
            for (var phase = 0; phase < size; phase++)
            {
                var run = 0;
                double sumSquares = 0;
                for (var i = phase; i + size <= content.Length; i += size)
                {
                    var value = size == 4
                        ? BinaryPrimitives.ReadSingleLittleEndian(content[i..])
                        : BinaryPrimitives.ReadDoubleLittleEndian(content[i..]);
                    var magnitude = Math.Abs(value);
                    if (double.IsFinite(value) && magnitude is > 1e-6 and < 10)
                    {
                        run++;
                        sumSquares += value * value;
                        if (run == EmbeddingLength)
                        {
                            var norm = Math.Sqrt(sumSquares);
                            if (norm is > 0.5 and < 100)
                            {
                                hits.Add(new PrivacyHit("embedding", $"{EmbeddingLength} float{size * 8} values in a row ({form})", where, baseOffset + i - ((EmbeddingLength - 1) * size)));
                            }
                        }
                    }
                    else
                    {
                        run = 0;
                        sumSquares = 0;
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"(?:-?\d+\.\d+(?:[eE][-+]?\d+)?[ \t]*[,;\t ][ \t]*){128,}")]
    private static partial Regex NumberArray();

    [GeneratedRegex("[A-Za-z0-9+/]{1024,}={0,2}")]
    private static partial Regex LongBase64();

    // Standard and URL-safe alphabets; 8 characters (6 bytes) and more.
    [GeneratedRegex("[A-Za-z0-9+/_-]{8,}={0,2}")]
    private static partial Regex AnyBase64();

    private static void FindNumberArrays(string text, string where, List<PrivacyHit> hits)
    {
        foreach (Match match in NumberArray().Matches(text))
        {
            hits.Add(new PrivacyHit("embedding", $"{NumbersInATextArray}+ decimal numbers in a row (text)", where, match.Index));
        }
    }

    /// <summary>
    /// Every base64 run (standard or URL-safe) decoded at each alignment and searched for the fixed forms, so a short
    /// secret inside an encoded sentence (fewer than 8 stable characters in the encoding) is found too; long runs are
    /// also looked at for an image or a float array.
    /// </summary>
    private void FindBase64Payloads(string text, string where, List<PrivacyHit> hits)
    {
        foreach (Match match in AnyBase64().Matches(text))
        {
            var value = match.Value.TrimEnd('=').Replace('-', '+').Replace('_', '/');
            for (var shift = 0; shift < 4 && value.Length - shift >= 8; shift++)
            {
                var usable = (value.Length - shift) / 4 * 4;
                var bytes = new byte[usable / 4 * 3];
                if (Convert.TryFromBase64Chars(value.AsSpan(shift, usable), bytes, out var written))
                {
                    FindNeedles(Encoding.Latin1.GetString(bytes, 0, written), where + $" (base64 at {match.Index})", " (base64-decoded)", hits);
                }
            }
        }

        FindLongBase64Payloads(text, where, hits);
    }

    /// <summary>
    /// SOI at <paramref name="i"/> followed by a first segment as real files have it: a marker they start with (APPn, DQT,
    /// SOF, DHT, COM) and a length of at least 2, then either the JFIF / Exif signature of APP0 / APP1 or, where the
    /// segment ends inside the content, the next marker's 0xFF. SOI and a marker alone (4.7·10⁻⁹ per position) turned up
    /// in a random 32-byte PIN challenge, decoded at one of the four base64 alignments. A real JPEG keeps these bytes
    /// unless it is cut inside its first segment (DQT, SOF, DHT or COM: tables, no pixels). The long-run check of
    /// FindLongBase64Payloads still takes SOI alone at a run's start (a twin left stricter).
    /// </summary>
    private static bool LooksLikeJpegStart(string s, int i)
    {
        if (i + 5 >= s.Length || s[i + 3] is not ((>= '\u00E0' and <= '\u00EF') or '\u00DB' or '\u00C0' or '\u00C2' or '\u00C4' or '\u00FE'))
        {
            return false;
        }

        var length = (s[i + 4] << 8) | s[i + 5];
        if (length < 2)
        {
            return false;
        }

        var signature = s.AsSpan(i + 6);
        if ((s[i + 3] == '\u00E0' && (signature.StartsWith("JFIF", StringComparison.Ordinal) || signature.StartsWith("JFXX", StringComparison.Ordinal)))
            || (s[i + 3] == '\u00E1' && signature.StartsWith("Exif", StringComparison.Ordinal)))
        {
            return true;
        }

        var next = i + 4 + length;
        return next < s.Length && s[next] == '\u00FF';
    }

    private static void FindLongBase64Payloads(string text, string where, List<PrivacyHit> hits)
    {
        foreach (Match match in LongBase64().Matches(text))
        {
            var value = match.Value;
            for (var shift = 0; shift < 4; shift++)
            {
                var usable = (value.Length - shift) / 4 * 4;
                var bytes = new byte[usable / 4 * 3];
                if (!Convert.TryFromBase64Chars(value.AsSpan(shift, usable), bytes, out var written))
                {
                    continue;
                }

                var decoded = bytes.AsSpan(0, written);
                FindFloatRuns(decoded, where, "base64", match.Index, hits);
                if (decoded.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) || decoded.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47])
                    || decoded.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50]))
                {
                    hits.Add(new PrivacyHit("image", "image inside a base64 run", where, match.Index));
                }
            }
        }
    }

    private sealed record Needle(string Kind, string What, string Pattern, Func<string, int, int, bool>? Rule)
    {
        public bool Accept(string text, int position) => Rule?.Invoke(text, position, position + Pattern.Length) ?? true;
    }
}
