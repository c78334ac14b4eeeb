using System.Buffers;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Reader.Protocol.Contract;

/// <summary>
/// The last check before bytes leave the reader: no message may carry an image, a template or
/// embedding, a PIN, the My Number, a name or a birth date. The contract types have no such fields;
/// this also catches them if someone adds one, or smuggles one into a free-text field. A violation
/// names the JSON path and the rule, never the value.
/// </summary>
public static class PrivacyGuard
{
    /// <summary>Field names (compared without case, '-' and '_') that must never appear.</summary>
    private static readonly HashSet<string> ForbiddenFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "fullname", "kananame", "namekana", "nameofother", "insuredname", "patientname",
        "birthdate", "birthday", "dateofbirth", "dob",
        "address", "postnumber", "postalcode", "sex", "gender",
        "pin", "pincode", "passcode", "password",
        "mynumber", "individualnumber", "kojinbango", "collationnumber",
        "photo", "image", "picture", "frame", "crop", "faceimage", "jpeg", "png", "j2k",
        "template", "embedding", "embeddings", "featurevector", "features", "descriptor",
        "score", "rawscore", "similarity", "distance",
    };

    /// <summary>base64 openings of image formats: JPEG, PNG, JP2 box, J2K codestream, GIF, WebP/RIFF.</summary>
    private static readonly string[] ImagePrefixes = ["/9j/", "iVBORw0KGgo", "AAAADGpQ", "/0//U", "R0lGOD", "UklGR"];

    private const int LongestNumberArray = 32;
    private const int LongestString = 8192;

    /// <summary>Throws <see cref="PrivacyViolationException"/> when the JSON carries anything forbidden.</summary>
    public static void EnsureClean(ReadOnlySpan<byte> utf8Json)
    {
        string? violation = FindViolation(utf8Json);
        if (violation is not null)
        {
            throw new PrivacyViolationException(violation);
        }
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ForbiddenFieldLookup = ForbiddenFields.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly byte[][] ImagePrefixesUtf8 = [.. ImagePrefixes.Select(Encoding.ASCII.GetBytes)];

    private const int MaxDepth = 32;

    // Longest property name the allocation-free pass reads (ours are far shorter); a longer one goes to Describe.
    private const int LongestFastName = 64;

    /// <summary>The first violation as "path: rule", or null when the message is clean.</summary>
    public static string? FindViolation(ReadOnlySpan<byte> utf8Json) => IsClean(utf8Json) ? null : Describe(utf8Json);

    /// <summary>
    /// The same rules as <see cref="Describe"/> in one pass that makes no string of a name or a value (this runs on
    /// every message the reader sends, the signed result included). What it cannot judge that way — a long name,
    /// bytes that are not UTF-8, JSON that does not parse — counts as not clean, and
    /// <see cref="Describe"/> gives the verdict and the path. So it may only ever be stricter, never more lenient.
    /// </summary>
    internal static bool IsClean(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        Span<int> numbers = stackalloc int[MaxDepth + 1];
        Span<char> name = stackalloc char[LongestFastName];
        Span<char> normalised = stackalloc char[LongestFastName];
        int depth = 0;
        bool isCertificate = false, namesText = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        // Unescaped, a name has at most as many chars as its bytes on the wire.
                        if (reader.ValueSpan.Length > LongestFastName)
                        {
                            return false;
                        }

                        ReadOnlySpan<char> property = name[..reader.CopyString(name)];
                        int kept = 0;
                        foreach (char c in property)
                        {
                            if (c is not ('-' or '_'))
                            {
                                normalised[kept++] = c;
                            }
                        }

                        if (ForbiddenFieldLookup.Contains(normalised[..kept]))
                        {
                            return false;
                        }

                        isCertificate = property.SequenceEqual("certificate");
                        namesText = property.Contains("text", StringComparison.OrdinalIgnoreCase);
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        numbers[depth++] = 0;
                        isCertificate = namesText = false;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        // The next value is an array element or follows a name: never the closed object's last name.
                        depth--;
                        isCertificate = namesText = false;
                        break;
                    case JsonTokenType.Number:
                        if (depth > 0 && ++numbers[depth - 1] > LongestNumberArray)
                        {
                            return false;
                        }

                        break;
                    case JsonTokenType.String:
                        if (!(reader.ValueIsEscaped ? IsCleanEscapedString(ref reader, isCertificate, namesText) : IsCleanString(reader.ValueSpan, isCertificate, namesText)))
                        {
                            return false;
                        }

                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }

        return true;
    }

    /// <summary>
    /// A string with escapes (System.Text.Json writes '+' of every base64 value as \u002B), unescaped into a pooled
    /// buffer: never longer than its escaped form.
    /// </summary>
    private static bool IsCleanEscapedString(ref Utf8JsonReader reader, bool isCertificate, bool namesText)
    {
        byte[] unescaped = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            return IsCleanString(unescaped.AsSpan(0, reader.CopyString(unescaped)), isCertificate, namesText);
        }
        finally
        {
            // Cleared: a message's strings do not stay behind in a shared pool.
            ArrayPool<byte>.Shared.Return(unescaped, clearArray: true);
        }
    }

    /// <summary><see cref="CheckString"/> on the unescaped UTF-8 bytes of a string value (counted in chars where it counts chars).</summary>
    private static bool IsCleanString(ReadOnlySpan<byte> utf8, bool isCertificate, bool namesText)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8) || LooksLikeMyNumber(utf8))
        {
            return false;
        }

        // A string has at most as many chars as bytes, so the char count is only needed above these sizes.
        if (utf8.Length >= 16)
        {
            foreach (byte[] prefix in ImagePrefixesUtf8)
            {
                if (utf8.StartsWith(prefix) && Encoding.UTF8.GetCharCount(utf8) >= 16)
                {
                    return false;
                }
            }
        }

        if (utf8.Length > LongestString && !isCertificate && Encoding.UTF8.GetCharCount(utf8) > LongestString)
        {
            return false;
        }

        return !(namesText && utf8.Length > 1024);
    }

    /// <summary><see cref="LooksLikeMyNumber(string)"/> on UTF-8 bytes: spaces and hyphens ignored, exactly 12 ASCII digits, valid check digit.</summary>
    private static bool LooksLikeMyNumber(ReadOnlySpan<byte> utf8)
    {
        Span<char> digits = stackalloc char[12];
        int count = 0;
        foreach (byte b in utf8)
        {
            if (b is (byte)' ' or (byte)'-')
            {
                continue;
            }

            if (b is < (byte)'0' or > (byte)'9' || count == 12)
            {
                return false;
            }

            digits[count++] = (char)b;
        }

        return count == 12 && HasMyNumberCheckDigit(digits);
    }

    /// <summary>The first violation as "path: rule" (names and values read as strings), or null when the message is clean.</summary>
    internal static string? Describe(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var path = new List<string>();
        var arrayNumbers = new Stack<int>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString()!;
                        string normalised = property.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
                        if (ForbiddenFields.Contains(normalised))
                        {
                            return $"{Join(path, property)}: forbidden field";
                        }

                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        path.Add(property ?? "$");
                        property = null;
                        arrayNumbers.Push(0);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        arrayNumbers.Pop();
                        property = null;
                        break;
                    case JsonTokenType.Number:
                        if (arrayNumbers.Count > 0)
                        {
                            int count = arrayNumbers.Pop() + 1;
                            arrayNumbers.Push(count);
                            if (count > LongestNumberArray)
                            {
                                return $"{Join(path, property)}: numeric array longer than {LongestNumberArray} (embedding-like)";
                            }
                        }

                        break;
                    case JsonTokenType.String:
                        string? rule = CheckString(reader.GetString()!, property);
                        if (rule is not null)
                        {
                            return $"{Join(path, property)}: {rule}";
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            return "$: not valid JSON";
        }
        catch (InvalidOperationException)
        {
            // GetString on bytes that are not UTF-8; its message quotes the bytes, so it goes no further.
            return "$: not valid UTF-8";
        }

        return null;
    }

    /// <summary>
    /// The certificate in a result must be the JPKI user-authentication certificate, which carries no
    /// personal attributes; a certificate with a SubjectAltName (where the signing certificate keeps
    /// name, birth date and address) is refused.
    /// </summary>
    public static void EnsureCertificateCarriesNoPersonalData(ReadOnlySpan<byte> certificateDer) =>
        EnsureCertificateCarriesNoPersonalData(certificateDer.ToArray().AsMemory());

    /// <summary>As the span overload, reading the caller's buffer in place.</summary>
    internal static void EnsureCertificateCarriesNoPersonalData(ReadOnlyMemory<byte> certificateDer)
    {
        // A DER walk of the extensions (System.Formats.Asn1), not a full X.509 load: microseconds, not a millisecond.
        if (CertificateExtensions(certificateDer).Contains(SubjectAltNameOid))
        {
            throw new PrivacyViolationException("certificate: has a SubjectAltName (signing certificates carry personal data)");
        }
    }

    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>The extension OIDs of a DER X.509 certificate; throws <see cref="CryptographicException"/> when it is not one.</summary>
    internal static IReadOnlyList<string> CertificateExtensions(ReadOnlyMemory<byte> der)
    {
        try
        {
            var certificate = new AsnReader(der, AsnEncodingRules.DER);
            AsnReader outer = certificate.ReadSequence();
            if (certificate.HasData)
            {
                throw new CryptographicException("trailing data after the certificate");
            }

            AsnReader tbs = outer.ReadSequence();
            var explicitVersion = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (tbs.PeekTag().HasSameClassAndValue(explicitVersion))
            {
                tbs.ReadEncodedValue();
            }

            tbs.ReadEncodedValue(); // serialNumber
            tbs.ReadSequence(); // signature algorithm
            tbs.ReadSequence(); // issuer
            tbs.ReadSequence(); // validity
            tbs.ReadSequence(); // subject
            tbs.ReadSequence(); // subjectPublicKeyInfo
            var oids = new List<string>();
            var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
            while (tbs.HasData)
            {
                Asn1Tag tag = tbs.PeekTag();
                if (!tag.HasSameClassAndValue(extensionsTag))
                {
                    tbs.ReadEncodedValue(); // issuerUniqueID / subjectUniqueID
                    continue;
                }

                AsnReader wrapper = tbs.ReadSequence(extensionsTag);
                AsnReader extensions = wrapper.ReadSequence();
                while (extensions.HasData)
                {
                    AsnReader extension = extensions.ReadSequence();
                    oids.Add(extension.ReadObjectIdentifier());
                }
            }

            return oids;
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("not a DER X.509 certificate", e);
        }
    }

    public static bool LooksLikeMyNumber(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string digits = value.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (digits.Length != 12 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        return HasMyNumberCheckDigit(digits);
    }

    /// <summary>Check digit of the individual number (番号法施行令 第8条) over 12 ASCII digits.</summary>
    private static bool HasMyNumberCheckDigit(ReadOnlySpan<char> digits)
    {
        int sum = 0;
        for (int n = 1; n <= 11; n++)
        {
            int p = digits[11 - n] - '0';
            int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }

        int remainder = sum % 11;
        int check = remainder <= 1 ? 0 : 11 - remainder;
        return check == digits[11] - '0';
    }

    private static string? CheckString(string value, string? property)
    {
        if (LooksLikeMyNumber(value))
        {
            return "12-digit value with a valid My Number check digit";
        }

        if (value.Length >= 16)
        {
            foreach (string prefix in ImagePrefixes)
            {
                if (value.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return "base64 image data";
                }
            }
        }

        if (value.Length > LongestString && property is not "certificate")
        {
            return $"string longer than {LongestString} characters";
        }

        if (property is not null && property.Contains("text", StringComparison.OrdinalIgnoreCase) && Encoding.UTF8.GetByteCount(value) > 1024)
        {
            return "free text longer than 1 KiB";
        }

        return null;
    }

    private static string Join(List<string> path, string? property) =>
        string.Join('.', path) + (property is null ? string.Empty : "." + property);
}

public sealed class PrivacyViolationException : Exception
{
    public PrivacyViolationException()
    {
    }

    public PrivacyViolationException(string message)
        : base("refused to send: " + message)
    {
    }

    public PrivacyViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
