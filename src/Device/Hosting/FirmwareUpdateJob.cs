using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Reader.Device.Hosting.Sections;
using Reader.Firmware;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Hosting;

/// <summary>
/// The terminal's "start update": the bundle is first copied into a folder only the service can write (so the
/// file verified is the file installed), checked against the ordered sha256, verified by
/// <see cref="FirmwareUpdater"/>, then installed in the background (RAUC writes the inactive slot; the terminal
/// decides when to reboot). Refusals answer with the firmware error code.
/// Bundles come only over https or from a file someone on the device put into the staging folder: any other
/// <c>file://</c> path is refused before it is looked at, so the terminal cannot probe the reader's files (does it
/// exist, what is its sha256).
/// </summary>
internal sealed partial class FirmwareUpdateJob(FirmwareSectionOptions options, ILoggerFactory loggers)
{
    private const long MaxBundleBytes = 4L * 1024 * 1024 * 1024;
    private readonly ILogger _logger = loggers.CreateLogger<FirmwareUpdateJob>();
    private int _busy;

    /// <summary>The install running in the background, if any (tests wait for it).</summary>
    public Task? Installing { get; private set; }

    public async Task<CommandOutcome> StartAsync(UpdateOrder order, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            return new CommandOutcome(CommandStatus.Busy, "update-in-progress");
        }

        var started = false;
        try
        {
            var staged = await StageAsync(order, cancellationToken);
            if (staged.Outcome is { } refused)
            {
                return refused;
            }

            var updater = new FirmwareUpdater(options.ToFirmwareOptions(), loggers.CreateLogger<FirmwareUpdater>());
            var verified = await updater.VerifyAsync(staged.Path!, cancellationToken);
            if (!verified.Succeeded)
            {
                File.Delete(staged.Path!);
                return new CommandOutcome(CommandStatus.Failed, Code(verified.Code));
            }

            started = true;
            Installing = Task.Run(() => InstallAsync(updater, staged.Path!), CancellationToken.None);
            return new CommandOutcome(CommandStatus.Accepted, "installing " + verified.Bundle?.Version);
        }
        finally
        {
            if (!started)
            {
                Volatile.Write(ref _busy, 0);
            }
        }
    }

    private async Task InstallAsync(FirmwareUpdater updater, string bundle)
    {
        try
        {
            var result = await updater.InstallAsync(bundle);
            var code = Code(result.Code);
            LogInstalled(_logger, code, result.Message);
        }
        finally
        {
            File.Delete(bundle);
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Copies or downloads the bundle into the staging folder (0700) and checks its sha256.</summary>
    private async Task<(string? Path, CommandOutcome? Outcome)> StageAsync(UpdateOrder order, CancellationToken cancellationToken)
    {
        var folder = options.ResolvedStagingDirectory();
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var target = Path.Combine(folder, "update.raucb");
        var partial = target + ".part";
        File.Delete(partial);
        try
        {
            await using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                Stream input;
                HttpClient? http = null;
                if (order.BundleUrl.IsFile)
                {
                    if (StagedFile(order.BundleUrl, folder) is not { } staged)
                    {
                        return (null, new CommandOutcome(CommandStatus.BadRequest, "bundle-url-not-allowed"));
                    }

                    if (!File.Exists(staged))
                    {
                        return (null, new CommandOutcome(CommandStatus.Failed, Code(FirmwareErrorCode.BundleNotFound)));
                    }

                    input = new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                }
                else if (order.BundleUrl.Scheme == Uri.UriSchemeHttps)
                {
                    http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
                    input = await http.GetStreamAsync(order.BundleUrl, cancellationToken);
                }
                else
                {
                    return (null, new CommandOutcome(CommandStatus.BadRequest, "bundle-url-scheme"));
                }

                using (http)
                await using (input)
                {
                    var copied = await CopyBoundedAsync(input, output, cancellationToken);
                    if (copied > MaxBundleBytes)
                    {
                        return (null, new CommandOutcome(CommandStatus.TooLarge, "bundle-too-large"));
                    }
                }
            }

            await using (var check = File.OpenRead(partial))
            {
                var digest = Convert.ToHexStringLower(await SHA256.HashDataAsync(check, cancellationToken));
                if (!string.Equals(digest, order.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    return (null, new CommandOutcome(CommandStatus.Failed, "sha256-mismatch"));
                }
            }

            File.Move(partial, target, overwrite: true);
            return (target, null);
        }
        catch (HttpRequestException)
        {
            return (null, new CommandOutcome(CommandStatus.Failed, Code(FirmwareErrorCode.BundleNotFound)));
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// The local path of a <c>file://</c> bundle when it names a plain file directly inside the staging folder (no
    /// host, no sub-folder, no symbolic link, not the job's own working files); null for anything else.
    /// </summary>
    private static string? StagedFile(Uri url, string stagingFolder)
    {
        if (!string.IsNullOrEmpty(url.Host) || url.LocalPath.Contains("/../", StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.GetFullPath(url.LocalPath);
        var name = Path.GetFileName(path);
        if (!string.Equals(Path.GetDirectoryName(path), stagingFolder.TrimEnd('/'), StringComparison.Ordinal)
            || name is "" or "update.raucb" or "update.raucb.part" || name.StartsWith('.'))
        {
            return null;
        }

        var file = new FileInfo(path);
        return file.Exists && file.LinkTarget is not null ? null : path;
    }

    private static async Task<long> CopyBoundedAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxBundleBytes)
            {
                return total;
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total;
    }

    /// <summary>FirmwareErrorCode as the response's detail, e.g. "bad-signature", "rollback-refused".</summary>
    public static string Code(FirmwareErrorCode code) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(code.ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "firmware update: {Code} ({Message})")]
    private static partial void LogInstalled(ILogger logger, string code, string message);
}
