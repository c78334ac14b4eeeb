using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Reader.Firmware.Rauc;

namespace Reader.Firmware.Bundles;

/// <summary>
/// Builds a signed RAUC bundle: images (directories become squashfs), a release manifest with per-artifact SHA-256
/// and the security version, the RAUC manifest (template firmware/rauc/manifest.raucm.in), then <c>rauc bundle</c>.
/// Works in a private staging directory because <c>rauc bundle</c> rewrites the manifest it is given.
/// </summary>
public static class BundleBuilder
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(20);

    /// <exception cref="FirmwareException">A tool failed (code <see cref="FirmwareErrorCode.CorruptBundle"/>) or is missing.</exception>
    public static async Task<ReleaseManifest> BuildAsync(BundleRequest request, string rauc = "rauc", string mksquashfs = "mksquashfs", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Format is not ("verity" or "plain"))
        {
            throw new ArgumentException("format must be verity or plain", nameof(request));
        }

        if (request.Images.Count == 0)
        {
            throw new ArgumentException("a bundle needs at least one image", nameof(request));
        }

        string staging = Directory.CreateTempSubdirectory("reader-bundle-").FullName;
        try
        {
            var artifacts = new List<ReleaseArtifact>();
            foreach (var (slotClass, source) in request.Images.OrderBy(i => i.Key, StringComparer.Ordinal))
            {
                string name = slotClass + ".img";
                string target = Path.Combine(staging, name);
                if (Directory.Exists(source))
                {
                    await RunAsync(mksquashfs, [source, target, "-noappend", "-all-root", "-no-progress", "-quiet"], cancellationToken);
                }
                else if (File.Exists(source))
                {
                    File.Copy(source, target);
                }
                else
                {
                    throw new FileNotFoundException($"image for {slotClass} not found", source);
                }

                artifacts.Add(new ReleaseArtifact(name, slotClass, new FileInfo(target).Length, await Sha256Async(target, cancellationToken)));
            }

            var release = new ReleaseManifest(
                ReleaseManifest.CurrentSchema, request.Product, request.Compatible, request.Version, request.SecurityVersion,
                DateTimeOffset.UtcNow, artifacts);
            await File.WriteAllTextAsync(Path.Combine(staging, ReleaseManifest.FileName), release.ToJson() + "\n", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(staging, "manifest.raucm"), RaucManifest(request, artifacts), cancellationToken);

            if (File.Exists(request.Output))
            {
                File.Delete(request.Output);
            }

            var args = new List<string> { "bundle", $"--cert={request.SigningCertificate}", $"--key={request.SigningKey}" };
            if (request.Keyring is not null)
            {
                args.Add($"--keyring={request.Keyring}");
            }

            args.AddRange([staging, Path.GetFullPath(request.Output)]);
            await RunAsync(rauc, args, cancellationToken);
            return release;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    internal static string RaucManifest(BundleRequest request, IEnumerable<ReleaseArtifact> artifacts)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[update]\ncompatible={request.Compatible}\nversion={request.Version}\n");
        text.Append(CultureInfo.InvariantCulture, $"description={request.Product} {request.Version} (security version {request.SecurityVersion})\n\n");
        text.Append(CultureInfo.InvariantCulture, $"[bundle]\nformat={request.Format}\n");
        foreach (var artifact in artifacts)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n[image.{artifact.SlotClass}]\nfilename={artifact.Name}\n");
        }

        return text.ToString();
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    private static async Task RunAsync(string tool, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await ExternalTool.RunAsync(tool, args, ToolTimeout, null, cancellationToken);
        }
        catch (ToolMissingException ex)
        {
            throw new FirmwareException(FirmwareErrorCode.RaucUnavailable, ex.Message, ex);
        }

        if (!result.Succeeded)
        {
            throw new FirmwareException(FirmwareErrorCode.CorruptBundle, $"{Path.GetFileName(tool)} failed: {result.LastError}");
        }
    }
}
