using System.Diagnostics;

namespace Reader.Reliability.Tests.Clinic;

/// <summary>
/// The touchscreen's browser as kiosk.service runs it, without a display: the unit's pre-step (the repository's
/// <c>firmware/systemd/kiosk-start-page</c>) turns the per-boot key into a start page, and Chromium opens it (headless
/// here, under cage on the device). <see cref="CrashAsync"/> is a browser crash (SIGKILL of the browser process);
/// <see cref="StartAsync"/> again is the unit's <c>Restart=always</c>.
/// </summary>
internal sealed class KioskBrowser(string folder, string keyFile, Uri kiosk) : IAsyncDisposable
{
    /// <summary>kiosk.service's RestartSec.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(2);

    private Process? browser;

    public static string? Unavailable() => File.Exists(RigPaths.Chromium) ? null : $"{RigPaths.Chromium} is missing (apt: chromium)";

    public string StartPage => Path.Combine(folder, "start.html");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await CrashAsync();
        Directory.CreateDirectory(folder);
        var script = Path.Combine(RigPaths.RepositoryRoot, "firmware", "systemd", "kiosk-start-page");
        using (var pre = Process.Start(new ProcessStartInfo("sh", [script, keyFile, StartPage, kiosk.GetLeftPart(UriPartial.Authority) + "/"]) { UseShellExecute = false, RedirectStandardError = true })!)
        {
            var error = await pre.StandardError.ReadToEndAsync(cancellationToken);
            await pre.WaitForExitAsync(cancellationToken);
            if (pre.ExitCode != 0)
            {
                throw new InvalidOperationException("kiosk-start-page: " + error.Trim());
            }
        }

        // The unit's flags that matter here; headless and without the sandbox (the bench runs as root, no display).
        browser = Process.Start(new ProcessStartInfo(RigPaths.Chromium,
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--noerrdialogs", "--incognito",
            "--disk-cache-dir=/dev/null", "--password-store=basic", "--lang=ja", "--autoplay-policy=no-user-gesture-required",
            "--user-data-dir=" + Path.Combine(folder, "profile"), "--window-size=1024,600",
            new Uri(StartPage).AbsoluteUri,
        ])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start chromium");
        browser.OutputDataReceived += (_, _) => { };
        browser.ErrorDataReceived += (_, _) => { };
        browser.BeginOutputReadLine();
        browser.BeginErrorReadLine();
    }

    /// <summary>The browser crashes (SIGKILL of it and its renderers): the page's event stream breaks.</summary>
    public async Task CrashAsync()
    {
        if (browser is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
        }

        browser?.Dispose();
        browser = null;
    }

    public ValueTask DisposeAsync() => new(CrashAsync());
}
