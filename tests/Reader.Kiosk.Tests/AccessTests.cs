using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Playwright;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Hosting;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

/// <summary>
/// The kiosk page is bound to the browser its launcher started: the per-boot key (a file the launcher reads),
/// traded once for an in-memory session cookie that every <c>/api/*</c> request must carry; another local process
/// that can reach the loopback port gets nothing (no state with the pairing code, no camera preview, no presses).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AccessTests(KioskBrowserFixture fixture) : IClassFixture<KioskBrowserFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kiosk-access-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Without_the_key_a_local_process_gets_neither_the_state_nor_the_preview_nor_a_press()
    {
        var host = fixture.Host;
        var before = fixture.Session.Actions.Count;
        using var stranger = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var path in new[] { "/api/state", "/api/events", "/api/preview.mjpeg", "/api/strings/ja", "/api/voice/ja/idle.wav" })
        {
            using var refused = await stranger.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{path}: {refused.StatusCode}");
        }

        using var press = new HttpRequestMessage(HttpMethod.Post, "/api/action")
        {
            Content = new StringContent("""{"type":"cancel"}""", Encoding.UTF8, "application/json"),
        };
        press.Headers.Add("Origin", host.BaseAddress.GetLeftPart(UriPartial.Authority));
        press.Headers.Add("Cookie", "reader-kiosk=" + new string('A', 43));
        using var pressed = await stranger.SendAsync(press);
        Assert.Equal(HttpStatusCode.Forbidden, pressed.StatusCode);
        Assert.Equal(before, fixture.Session.Actions.Count);

        // What stays open: the launcher's health probe and the page's own (public) files.
        using var health = await stranger.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var page = await stranger.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var wrongKey = await stranger.GetAsync(new Uri("/?key=" + new string('A', 43), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
    }

    [Fact]
    public async Task The_launchers_address_is_traded_for_a_strict_session_cookie_and_leaves_the_address_bar()
    {
        var host = fixture.Host;
        using var launcher = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };
        using var entry = await launcher.GetAsync(host.PageAddress);
        Assert.Equal(HttpStatusCode.SeeOther, entry.StatusCode);
        Assert.Equal("/", entry.Headers.Location?.OriginalString);
        var cookie = Assert.Single(entry.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(host.AccessCookie + ";", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase); // a session cookie: memory only

        using var state = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        state.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var answered = await launcher.SendAsync(state);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task The_per_boot_key_file_is_kept_while_valid_and_replaced_when_not()
    {
        var file = Path.Combine(_folder, "run", "access.key");
        string first;
        await using (var host = await StartAsync(new ScriptedKioskSession(), file))
        {
            first = host.PageAddress.Query;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal("?key=" + File.ReadAllText(file).Trim(), first);
        }

        // A restarted service keeps the key (the page already open stays bound) ...
        await using (var again = await StartAsync(new ScriptedKioskSession(), file))
        {
            Assert.Equal(first, again.PageAddress.Query);
        }

        // ... unless the file is not trustworthy: readable by others, or not a key.
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        string second;
        await using (var readable = await StartAsync(new ScriptedKioskSession(), file))
        {
            second = readable.PageAddress.Query;
            Assert.NotEqual(first, second);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        File.WriteAllText(file, "abc\n");
        await using (var garbage = await StartAsync(new ScriptedKioskSession(), file))
        {
            Assert.NotEqual(second, garbage.PageAddress.Query);
            Assert.Matches("^\\?key=[A-Za-z0-9_-]{43}$", garbage.PageAddress.Query);
        }
    }

    [Fact]
    public async Task The_kiosk_units_start_page_binds_Chromium_to_the_page_without_the_key_on_its_command_line()
    {
        var file = Path.Combine(_folder, "kiosk-access.key");
        var session = new ScriptedKioskSession();
        session.Show(new KioskScreen.Pairing("042917"));
        await using var host = await StartAsync(session, file);

        // firmware/systemd/kiosk-start-page, as kiosk.service runs it before Chromium.
        var startPage = Path.Combine(_folder, "start.html");
        var script = Path.Combine(TestEnvironment.RepositoryRoot, "firmware", "systemd", "kiosk-start-page");
        using (var run = Process.Start(new ProcessStartInfo("/bin/sh", [script, file, startPage, host.BaseAddress.ToString()]) { RedirectStandardError = true })!)
        {
            await run.WaitForExitAsync();
            Assert.True(run.ExitCode == 0, await run.StandardError.ReadToEndAsync());
        }

        var context = await fixture.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.RouteAsync("**/api/voice/**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 204 }));
            await page.GotoAsync(new Uri(startPage).AbsoluteUri);
            // 45 s: once in a full CI run (200 kiosk tests beside it, the suite twice its quiet time) 15 s ran out before
            // the start page's forward and the first state arrived; alone it takes under a second.
            await page.WaitForFunctionAsync("() => document.body.dataset.screen === 'pairing'", null, new PageWaitForFunctionOptions { Timeout = 45_000 });
            Assert.Equal(host.BaseAddress.ToString(), page.Url);
            Assert.Contains("042917", await page.Locator(".pairing-code").TextContentAsync(), StringComparison.Ordinal);

            // The bound page follows the session's pushes (its event stream carries the cookie).
            session.Show(new KioskScreen.Pairing(null, Paused: true));
            await page.WaitForSelectorAsync("[data-focus='pairing.newCode']");
        }
        finally
        {
            await context.CloseAsync();
        }

        // A key file that holds no key is never passed on.
        File.WriteAllText(Path.Combine(_folder, "bad.key"), "not a key\n");
        using var refused = Process.Start(new ProcessStartInfo("/bin/sh", [script, Path.Combine(_folder, "bad.key"), Path.Combine(_folder, "bad.html")]) { RedirectStandardError = true })!;
        await refused.WaitForExitAsync();
        Assert.NotEqual(0, refused.ExitCode);
        Assert.False(File.Exists(Path.Combine(_folder, "bad.html")));
    }

    private static Task<KioskHost> StartAsync(ScriptedKioskSession session, string keyFile) =>
        KioskHost.StartAsync(session, new KioskHostOptions { Port = 0, AccessKeyFile = keyFile, Voice = new() { WarmUpLanguages = [] } });
}
