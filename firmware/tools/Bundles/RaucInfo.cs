using System.Globalization;
using System.Text.RegularExpressions;

namespace Reader.Firmware.Bundles;

/// <summary>The signed RAUC manifest as <c>rauc info</c> prints it after verifying the signature (readable format:
/// RAUC 1.8's JSON output lacks the bundle format and verity fields).</summary>
internal sealed partial record RaucInfo(
    string Compatible,
    string Version,
    string Format,
    string? VeritySalt,
    string? VerityHash,
    long? VeritySize,
    string? Signer,
    IReadOnlyList<BundleImage> Images)
{
    /// <summary>Parses the readable output; null when a required field is missing.</summary>
    public static RaucInfo? Parse(string output)
    {
        string text = AnsiEscape().Replace(output, string.Empty);
        string? compatible = null, version = null, format = null, salt = null, hash = null, signer = null;
        long? veritySize = null;
        var images = new List<BundleImage>();
        string? imageClass = null, fileName = null, checksum = null;
        bool inChain = false;

        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("Certificate Chain:", StringComparison.Ordinal))
            {
                inChain = true;
                continue;
            }

            if (inChain)
            {
                // " 0 Subject: CN = …" is the signer; later entries are its CAs.
                if (signer is null && line.StartsWith("0 Subject:", StringComparison.Ordinal))
                {
                    signer = line["0 Subject:".Length..].Trim();
                }

                continue;
            }

            if (ImageHeader().Match(line) is { Success: true } header)
            {
                imageClass = header.Groups[1].Value;
                continue;
            }

            (string key, string value) = Split(line);
            switch (key)
            {
                case "Compatible": compatible = value; break;
                case "Version": version = value; break;
                case "Bundle Format": format = value; break;
                case "Verity Salt": salt = value; break;
                case "Verity Hash": hash = value; break;
                case "Verity Size": veritySize = long.TryParse(value, CultureInfo.InvariantCulture, out long s) ? s : null; break;
                case "Filename": fileName = value; break;
                case "Checksum": checksum = value; break;
                case "Size" when imageClass is not null && fileName is not null && checksum is not null:
                    // An image whose size is not a number makes the whole manifest unreadable (fail closed, no throw).
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                    {
                        return null;
                    }

                    images.Add(new BundleImage(imageClass, fileName, checksum, size));
                    imageClass = fileName = checksum = null;
                    break;
                default: break;
            }
        }

        if (compatible is null || version is null || format is null)
        {
            return null;
        }

        return new RaucInfo(compatible, version, format, salt, hash, veritySize, signer, images);
    }

    private static (string Key, string Value) Split(string line)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (line, string.Empty);
        }

        string value = line[(colon + 1)..].Trim().Trim('\'');
        return (line[..colon].Trim(), value);
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"^\[([A-Za-z0-9_.-]+)\]$")]
    private static partial Regex ImageHeader();
}
