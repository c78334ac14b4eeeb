using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Reader.Device.Hosting;
using Reader.Protocol.Pairing;

namespace Reader.Device.Tests.Service;

/// <summary>
/// <c>reader-device run</c> as systemd and the demo see it: the contract's stdout lines, pairing mode on a new
/// reader (the code on the kiosk page only, never on stdout, stderr or in the log: under systemd they are the
/// journal), sd_notify READY/WATCHDOG/STOPPING on <c>$NOTIFY_SOCKET</c>, a clean exit on SIGTERM.
/// </summary>
[Collection("service")]
public sealed class RunProcessTests(ServiceRig rig)
{
    [ServiceFact]
    public async Task Run_pairs_a_new_reader_prints_the_contract_lines_and_talks_to_systemd()
    {
        var folder = Directory.CreateTempSubdirectory("reader-run-").FullName;
        var config = Path.Combine(folder, "reader.json");
        rig.WriteConfig(config, Path.Combine(folder, "data"), Path.Combine(folder, "logs"), kioskPort: 0);
        var notifySocket = Path.Combine(folder, "notify.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(notifySocket));
        var notifications = new List<string>();
        using var listening = new CancellationTokenSource();
        var listener = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var read = await systemd.ReceiveAsync(buffer, SocketFlags.None, listening.Token);
                    lock (notifications)
                    {
                        notifications.Add(Encoding.UTF8.GetString(buffer, 0, read));
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var start = new ProcessStartInfo("dotnet", [ServicePaths.ReaderDevice, "run", "--config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PCSCLITE_CSOCK_NAME"] = rig.Pcscd.SocketPath;
        start.Environment["NOTIFY_SOCKET"] = notifySocket;
        start.Environment["WATCHDOG_USEC"] = "1000000";
        start.Environment["READER_CACHE"] = ServicePaths.Cache;
        start.Environment.Remove("READER_RUN");
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        using var gotLine = new SemaphoreSlim(0);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }

                gotLine.Release();
            }
        };
        var errors = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var kiosk = new Uri((await WaitLine("KIOSK URL "))["KIOSK URL ".Length..]);
            await WaitLine("READER PAIRING");

            // The technician reads the code off the kiosk's pairing screen (the page's own state, with the page's key).
            using var page = new HttpClient { BaseAddress = kiosk };
            using (var stranger = await page.GetAsync(new Uri("api/state", UriKind.Relative)))
            {
                Assert.Equal(System.Net.HttpStatusCode.Forbidden, stranger.StatusCode);
            }

            page.DefaultRequestHeaders.Add("Cookie", "reader-kiosk=" + File.ReadAllText(Path.Combine(folder, "kiosk-access.key")).Trim());
            var code = await PairingCodeOnScreen(page);
            var paired = await TerminalPairing.PairAsync(new TerminalPairingOptions { Profile = rig.Terminal, DataDirectory = Path.Combine(folder, "terminal") },
                code, null, null, CancellationToken.None);
            Assert.Equal($"PAIRED {paired.ReaderId} {rig.Terminal.TerminalId}", await WaitLine("PAIRED "));
            await WaitLine("READER READY");
            string[] kinds = ["KIOSK URL ", "READER PAIRING", "PAIRED ", "READER READY"];
            Assert.Equal(kinds, Snapshot(lines).Select(l => kinds.Single(k => l.StartsWith(k, StringComparison.Ordinal))));
            Assert.Matches(@"^KIOSK URL http://127\.0\.0\.1:\d+/$", Snapshot(lines)[0]);

            await Until(() => Snapshot(notifications).Count(n => n.StartsWith("WATCHDOG=1", StringComparison.Ordinal)) >= 2);

            // The start-up line is logged once per start (an unpaired start: at the pairing screen, not again at READY).
            await Until(() => StartupLines(Path.Combine(folder, "logs")) >= 1, TimeSpan.FromSeconds(120));
            process.Kill(Signal.Term);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
            await Until(() => Snapshot(notifications).Contains("STOPPING=1"));
            var seen = Snapshot(notifications);
            Assert.StartsWith("READY=1\nSTATUS=pairing", seen[0], StringComparison.Ordinal);
            Assert.Contains("READY=1\nSTATUS=ready", seen);
            Assert.Equal(1, StartupLines(Path.Combine(folder, "logs")));
            Assert.True(seen.IndexOf("READY=1\nSTATUS=ready") < seen.IndexOf("STOPPING=1"));

            // The one-time code went nowhere but the screen: not stdout, not stderr, not the log files.
            string everything = string.Join("\n", Snapshot(lines)) + "\n" + string.Join("\n", Snapshot(errors))
                + string.Concat(Directory.GetFiles(Path.Combine(folder, "logs")).Select(File.ReadAllText));
            Assert.DoesNotContain(code, everything, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await listening.CancelAsync();
            await listener;
            Directory.Delete(folder, recursive: true);
        }

        async Task<string> WaitLine(string prefix)
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (DateTime.UtcNow < deadline)
            {
                if (Snapshot(lines).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }

                Assert.False(process.HasExited, $"reader-device exited with {(process.HasExited ? process.ExitCode : 0)}");
                await gotLine.WaitAsync(TimeSpan.FromMilliseconds(500));
            }

            throw new TimeoutException($"no '{prefix}' line; got: {string.Join(" | ", Snapshot(lines))}");
        }
    }

    /// <summary>The code the kiosk's pairing screen shows, as the page gets it.</summary>
    private static async Task<string> PairingCodeOnScreen(HttpClient page)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var state = System.Text.Json.JsonDocument.Parse(await page.GetStringAsync(new Uri("api/state", UriKind.Relative)));
            var screen = state.RootElement.GetProperty("screen");
            if (screen.GetProperty("id").GetString() == "pairing" && screen.TryGetProperty("code", out var code) && code.GetString() is { Length: 6 } digits)
            {
                return digits;
            }

            Assert.True(DateTime.UtcNow < deadline, "no pairing code on the kiosk screen");
            await Task.Delay(100);
        }
    }

    private static List<string> Snapshot(List<string> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>The "start-up: …" lines in the service's log files (read beside the running writer).</summary>
    private static int StartupLines(string logs) =>
        Directory.GetFiles(logs).Sum(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.Contains(" start-up: ", StringComparison.Ordinal));
        });

    private static async Task Until(Func<bool> condition, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}

/// <summary>Signals the test sends to its child (Process.Kill only sends SIGKILL).</summary>
internal enum Signal
{
    Term = 15,
}

internal static class ProcessSignals
{
    public static void Kill(this Process process, Signal signal)
    {
        using var kill = Process.Start("kill", [$"-{(int)signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
