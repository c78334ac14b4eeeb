using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Firmware.Bundles;
using Reader.Firmware.Rauc;
using Reader.Firmware.State;

namespace Reader.Firmware;

/// <summary>
/// Verifies and installs signed RAUC bundles on the device and commits a good boot. Every method returns a
/// <see cref="FirmwareResult"/> with a <see cref="FirmwareErrorCode"/> instead of throwing for a bad bundle;
/// a refused bundle never touches a slot, and RAUC only ever writes the inactive slot.
/// </summary>
public sealed partial class FirmwareUpdater(FirmwareOptions options, ILogger<FirmwareUpdater>? logger = null)
{
    private readonly FirmwareOptions _options = options ?? throw new ArgumentNullException(nameof(options));
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly SecurityFloor _floor = new(options.StateDirectory, options.FloorOwner);

    /// <summary>
    /// Checks a bundle without installing it: framing, signature against the keyring, payload against the signed
    /// manifest (verity bundles: the whole hash tree), the release manifest, the compatible string and the
    /// security version against the device's floor.
    /// </summary>
    public async Task<FirmwareResult> VerifyAsync(string bundlePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bundlePath);
        var result = await VerifyCoreAsync(Path.GetFullPath(bundlePath), cancellationToken);
        LogResult(_logger, "verify", result.Code, result.Message);
        return result;
    }

    /// <summary>Verifies, then has RAUC write the inactive slot group and make it the next boot (not yet committed).</summary>
    public async Task<FirmwareResult> InstallAsync(string bundlePath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bundlePath);
        string bundle = Path.GetFullPath(bundlePath);
        var verified = await VerifyCoreAsync(bundle, cancellationToken);
        if (!verified.Succeeded)
        {
            LogResult(_logger, "install", verified.Code, verified.Message);
            return verified;
        }

        FirmwareResult result;
        try
        {
            var run = await RunRaucAsync(["install", bundle], _options.InstallTimeout, cancellationToken);
            result = run.Succeeded
                ? FirmwareResult.Ok($"installed {verified.Bundle!.Version}; reboot to try it, then mark-good", verified.Bundle)
                : FirmwareResult.Fail(ClassifyServiceError(run, FirmwareErrorCode.InstallFailed), run.LastError, verified.Bundle);
        }
        catch (Exception ex) when (ex is ToolMissingException or TimeoutException)
        {
            result = FirmwareResult.Fail(ex is TimeoutException ? FirmwareErrorCode.InstallFailed : FirmwareErrorCode.RaucUnavailable, ex.Message, verified.Bundle);
        }

        LogResult(_logger, "install", result.Code, result.Message);
        return result;
    }

    /// <summary>Slots, booted and primary slot, and the security floor.</summary>
    /// <exception cref="FirmwareException">RAUC cannot report its status.</exception>
    public async Task<FirmwareStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        ProcessResult run;
        try
        {
            run = await RunRaucAsync(["status", "--output-format=json"], _options.VerifyTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is ToolMissingException or TimeoutException)
        {
            throw new FirmwareException(FirmwareErrorCode.RaucUnavailable, ex.Message, ex);
        }

        if (!run.Succeeded)
        {
            throw new FirmwareException(ClassifyServiceError(run, FirmwareErrorCode.StatusFailed), run.LastError);
        }

        return ParseStatus(run.StandardOutput);
    }

    /// <summary>
    /// Commits the booted slot (RAUC mark-good) after the health checks passed, then raises the anti-rollback floor
    /// to the security version installed in that slot: from now on nothing older can be installed.
    /// </summary>
    public async Task<FirmwareResult> MarkGoodAsync(CancellationToken cancellationToken = default)
    {
        FirmwareResult result;
        try
        {
            var run = await RunRaucAsync(["status", "mark-good", "booted"], _options.VerifyTimeout, cancellationToken);
            if (!run.Succeeded)
            {
                result = FirmwareResult.Fail(ClassifyServiceError(run, FirmwareErrorCode.StatusFailed), run.LastError);
            }
            else
            {
                var status = await GetStatusAsync(cancellationToken);
                var booted = status.Slots.FirstOrDefault(s => s.State == "booted");
                try
                {
                    int floor = _floor.Raise(booted?.SecurityVersion ?? 0);
                    result = FirmwareResult.Ok($"marked {booted?.Name ?? "booted slot"} good; security floor {floor}");
                }
                catch (FirmwareException ex) when (ex.Code == FirmwareErrorCode.FloorUnreadable)
                {
                    // The slot is committed (the device keeps running); updates stay refused until the floor is repaired.
                    result = FirmwareResult.Fail(ex.Code, $"marked {booted?.Name ?? "booted slot"} good, but {ex.Message}: updates are refused until a technician restores it");
                }
            }
        }
        catch (FirmwareException ex)
        {
            result = FirmwareResult.Fail(ex.Code, ex.Message);
        }
        catch (Exception ex) when (ex is ToolMissingException or TimeoutException)
        {
            result = FirmwareResult.Fail(FirmwareErrorCode.RaucUnavailable, ex.Message);
        }

        LogResult(_logger, "mark-good", result.Code, result.Message);
        return result;
    }

    private async Task<FirmwareResult> VerifyCoreAsync(string bundle, CancellationToken cancellationToken)
    {
        if (!File.Exists(bundle))
        {
            return FirmwareResult.Fail(FirmwareErrorCode.BundleNotFound, $"no bundle at {bundle}");
        }

        if (BundleTrailer.TryRead(bundle, out string problem) is not { } trailer)
        {
            return FirmwareResult.Fail(FirmwareErrorCode.CorruptBundle, problem);
        }

        DeviceConfig device;
        try
        {
            device = DeviceConfig.Load(_options.SystemConfig);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return FirmwareResult.Fail(FirmwareErrorCode.RaucUnavailable, $"cannot read {_options.SystemConfig}: {ex.Message}");
        }

        string? keyring = _options.Keyring ?? device.KeyringPath;
        if (keyring is null || !File.Exists(keyring))
        {
            return FirmwareResult.Fail(FirmwareErrorCode.BadSignature, "no keyring to verify against");
        }

        try
        {
            // 1. Signature (and, for plain bundles, the whole payload) — RAUC's own check.
            var info = await RunRaucAsync(["info", $"--keyring={keyring}", bundle], _options.VerifyTimeout, cancellationToken, useConfig: false);
            if (!info.Succeeded)
            {
                var code = ClassifyInfoError(info);
                if (code == FirmwareErrorCode.BadSignature && await DetachedSignatureMissesPayloadAsync(bundle, trailer, cancellationToken))
                {
                    code = FirmwareErrorCode.CorruptBundle;
                }

                return FirmwareResult.Fail(code, info.LastError);
            }

            if (RaucInfo.Parse(info.StandardOutput) is not { } manifest)
            {
                return FirmwareResult.Fail(FirmwareErrorCode.CorruptBundle, "rauc info printed no manifest");
            }

            // 3 runs beside 2; its answer is only trusted once the payload check passed.
            var readRelease = ExternalTool.RunAsync(_options.Unsquashfs, ["-cat", bundle, ReleaseManifest.FileName], _options.VerifyTimeout, null, cancellationToken);

            // 2. Payload of verity bundles (rauc info checks only the signed manifest there).
            if (manifest.Format == "verity")
            {
                if (manifest is not { VeritySalt: { } salt, VerityHash: { } root, VeritySize: { } treeSize })
                {
                    await readRelease.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    return FirmwareResult.Fail(FirmwareErrorCode.CorruptBundle, "verity bundle without verity parameters");
                }

                string? mismatch = await VerityHashTree.CheckAsync(
                    bundle, trailer.SignedPayloadSize, treeSize, Convert.FromHexString(salt), Convert.FromHexString(root), cancellationToken);
                if (mismatch is not null)
                {
                    await readRelease.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    return FirmwareResult.Fail(FirmwareErrorCode.CorruptBundle, mismatch);
                }
            }

            // 3. Release manifest, read from the now verified payload and cross-checked with the signed manifest.
            var read = await readRelease;
            if (!read.Succeeded || ReleaseManifest.TryParse(read.StandardOutput) is not { } release)
            {
                return FirmwareResult.Fail(FirmwareErrorCode.CorruptBundle, $"bundle has no valid {ReleaseManifest.FileName}");
            }

            if (ReleaseMismatch(release, manifest) is { } inconsistency)
            {
                return FirmwareResult.Fail(FirmwareErrorCode.CorruptBundle, inconsistency);
            }

            var bundleInfo = new BundleInfo(manifest.Compatible, manifest.Version, release.SecurityVersion, manifest.Format, manifest.Signer, manifest.Images);

            // 4. Meant for this device?
            if (!string.Equals(manifest.Compatible, device.Compatible, StringComparison.Ordinal))
            {
                return FirmwareResult.Fail(FirmwareErrorCode.WrongCompatible, $"bundle is for '{manifest.Compatible}', this device is '{device.Compatible}'", bundleInfo);
            }

            // 5. Anti-rollback, against a floor that must be trustworthy.
            FloorReading reading = _floor.Read();
            if (reading.Value is not { } floor)
            {
                return FirmwareResult.Fail(FirmwareErrorCode.FloorUnreadable, $"{reading.Problem}: no update is installed until a technician restores it", bundleInfo);
            }

            if (release.SecurityVersion < floor)
            {
                return FirmwareResult.Fail(FirmwareErrorCode.RollbackRefused, $"security version {release.SecurityVersion} is below this device's floor {floor}", bundleInfo);
            }

            return FirmwareResult.Ok($"bundle {manifest.Version} (security version {release.SecurityVersion}) is valid for {device.Compatible}", bundleInfo);
        }
        catch (Exception ex) when (ex is ToolMissingException)
        {
            return FirmwareResult.Fail(FirmwareErrorCode.RaucUnavailable, ex.Message);
        }
        catch (TimeoutException ex)
        {
            return FirmwareResult.Fail(FirmwareErrorCode.CorruptBundle, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return FirmwareResult.Fail(FirmwareErrorCode.CorruptBundle, ex.Message);
        }
    }

    // A plain bundle's detached CMS signature carries the payload's SHA-256 (messageDigest). When verification fails and
    // that digest is not the payload's, the payload was damaged; otherwise the signer is what RAUC refused.
    private static async Task<bool> DetachedSignatureMissesPayloadAsync(string bundle, BundleTrailer trailer, CancellationToken cancellationToken)
    {
        byte[] signature = new byte[trailer.SignatureSize];
        await using var file = new FileStream(bundle, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        file.Position = trailer.SignedPayloadSize;
        await file.ReadExactlyAsync(signature, cancellationToken);
        if (signature.AsSpan().IndexOf("[update]"u8) >= 0)
        {
            return false; // inline signature (verity): it covers the manifest, not the payload
        }

        file.Position = 0;
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1 << 16];
        long left = trailer.SignedPayloadSize;
        while (left > 0)
        {
            int read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                return true;
            }

            sha.AppendData(buffer, 0, read);
            left -= read;
        }

        return signature.AsSpan().IndexOf(sha.GetHashAndReset()) < 0;
    }

    private static string? ReleaseMismatch(ReleaseManifest release, RaucInfo manifest)
    {
        if (release.Compatible != manifest.Compatible || release.Version != manifest.Version)
        {
            return "release manifest does not match the signed manifest (compatible/version)";
        }

        foreach (var artifact in release.Artifacts)
        {
            if (!manifest.Images.Any(i => i.FileName == artifact.Name && string.Equals(i.Sha256, artifact.Sha256, StringComparison.OrdinalIgnoreCase)))
            {
                return $"release manifest lists {artifact.Name} with a hash the signed manifest does not have";
            }
        }

        return null;
    }

    // rauc info: a digest mismatch over the payload means damage; any other verification failure means the signer is not trusted.
    private static FirmwareErrorCode ClassifyInfoError(ProcessResult run)
    {
        string err = run.StandardError;
        if (err.Contains("content verify error", StringComparison.Ordinal)
            || err.Contains("Invalid bundle format", StringComparison.Ordinal)
            || err.Contains("squashfs", StringComparison.OrdinalIgnoreCase)
            || err.Contains("manifest", StringComparison.OrdinalIgnoreCase) && !err.Contains("signature", StringComparison.Ordinal))
        {
            return FirmwareErrorCode.CorruptBundle;
        }

        return err.Contains("signature", StringComparison.OrdinalIgnoreCase) || err.Contains("certificate", StringComparison.OrdinalIgnoreCase)
            ? FirmwareErrorCode.BadSignature
            : FirmwareErrorCode.CorruptBundle;
    }

    private static FirmwareErrorCode ClassifyServiceError(ProcessResult run, FirmwareErrorCode otherwise) =>
        run.StandardError.Contains("D-Bus", StringComparison.OrdinalIgnoreCase)
        || run.StandardError.Contains("dbus", StringComparison.OrdinalIgnoreCase)
            ? FirmwareErrorCode.RaucUnavailable
            : otherwise;

    private Task<ProcessResult> RunRaucAsync(string[] arguments, TimeSpan timeout, CancellationToken cancellationToken, bool useConfig = true)
    {
        string[] all = useConfig ? [$"--conf={_options.SystemConfig}", .. arguments] : arguments;
        return ExternalTool.RunAsync(_options.Rauc, all, timeout, _options.RaucEnvironment, cancellationToken);
    }

    private FirmwareStatus ParseStatus(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string? booted = root.TryGetProperty("booted", out var b) ? b.GetString() : null;
        string? primary = root.TryGetProperty("boot_primary", out var p) ? p.GetString() : null;
        var slots = new List<SlotStatus>();
        if (root.TryGetProperty("slots", out var list))
        {
            foreach (var entry in list.EnumerateArray())
            {
                foreach (var slot in entry.EnumerateObject())
                {
                    var v = slot.Value;
                    slots.Add(new SlotStatus(
                        slot.Name,
                        v.GetProperty("class").GetString() ?? string.Empty,
                        v.TryGetProperty("bootname", out var bn) ? bn.GetString() : null,
                        v.GetProperty("state").GetString() ?? string.Empty,
                        v.TryGetProperty("boot_status", out var bs) ? bs.GetString() : null,
                        _floor.ReadSlot(slot.Name)));
                }
            }
        }

        slots.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
        var floor = _floor.Read();
        return new FirmwareStatus(root.GetProperty("compatible").GetString() ?? string.Empty, booted, primary, floor.Value, slots)
        {
            SecurityFloorProblem = floor.Problem,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "firmware {Step}: {Code} {Detail}")]
    private static partial void LogResult(ILogger logger, string step, FirmwareErrorCode code, string detail);
}
