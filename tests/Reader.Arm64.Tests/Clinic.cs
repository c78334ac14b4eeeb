using System.Diagnostics;
using System.Text.Json;
using Reader.TestSupport;

namespace Reader.Arm64.Tests;

/// <summary>
/// A clinic for the arm64 reader: mosquitto with TLS and the pairing listener (the shared <see cref="ClinicBroker"/> of
/// tests/Shared/Rig, set up as the x64 reference terminal's <c>broker init</c> does), the arm64 build of the simulated
/// reader (hardware-sim/SimulatedReader: our protocol stack with a stand-in device) paired as a reader (SPAKE2 code,
/// clinic CA certificate), and the x64 terminal watching for results. The reader and the terminal run through their
/// own command lines, on free loopback ports.
/// </summary>
internal sealed class Clinic : IAsyncDisposable
{
    private readonly ClinicBroker _broker;
    private readonly List<Process> _running = [];

    private Clinic(ClinicBroker broker)
    {
        _broker = broker;
    }

    public string ReaderId { get; } = "rdr-arm64" + Guid.NewGuid().ToString("N")[..4];

    private string BrokerDir => _broker.Layout.Directory;

    private string TerminalData => _broker.TerminalData;

    private string ReaderData => Path.Combine(_broker.Folder, "arm64-reader");

    private int PairingPort => _broker.PairingPort;

    /// <summary>The x64 reference terminal, built beside this test assembly.</summary>
    public static string TerminalDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            string path = Path.Combine(here.Parent!.Parent!.FullName, "Reader.Terminal", here.Name, "reader-terminal.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("reader-terminal is not built", path);
        }
    }

    public static async Task<Clinic> StartAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        return new Clinic(await ClinicBroker.StartAsync(folder, CancellationToken.None));
    }

    /// <summary>Pairs the arm64 reader, then lets it submit one signed result; returns its session id and what the terminal verified.</summary>
    public async Task<(string SessionId, string Verified)> DeliverOneResultFromArm64Async()
    {
        // Pairing: the arm64 reader shows a code, the x64 terminal enters it. Lines are taken as they come (events),
        // with the time each step took, for the failure message.
        var clock = Stopwatch.StartNew();
        var steps = new List<string>();
        var shown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var readerErrors = new System.Text.StringBuilder();
        var pairing = Keep(Process.Start(Emulator.Start(
            Emulator.SimulatedReader,
            ["pair", "--reader-data", ReaderData, "--host", "127.0.0.1", "--port", $"{PairingPort}", "--reader-id", ReaderId, "--verbose"]))!);
        pairing.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith('{') && JsonDocument.Parse(line).RootElement.TryGetProperty("code", out var value))
            {
                shown.TrySetResult(value.GetString()!);
            }
        };
        pairing.ErrorDataReceived += (_, e) =>
        {
            lock (readerErrors)
            {
                readerErrors.AppendLine(e.Data);
            }
        };
        pairing.BeginOutputReadLine();
        pairing.BeginErrorReadLine();
        pairing.StandardInput.Close();
        string ReaderLog()
        {
            lock (readerErrors)
            {
                return Emulator.Tail(readerErrors.ToString(), 20);
            }
        }

        var first = await Task.WhenAny(shown.Task, Task.Delay(TimeSpan.FromMinutes(5)));
        Assert.True(first == shown.Task, $"the arm64 reader showed no pairing code within 5 min: {ReaderLog()}\nbroker: {BrokerLog()}");
        var code = await shown.Task;
        steps.Add($"code shown after {clock.Elapsed.TotalSeconds:F0} s");
        var paired = await X64TerminalAsync(["--broker-dir", BrokerDir, "--data", TerminalData, "pair", "--code", code, "--reader", ReaderId, "--wait", "400"]);
        steps.Add($"terminal pair done after {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(paired.ExitCode == 0, $"terminal pair: {paired}\n{string.Join("; ", steps)}\narm64 reader: {ReaderLog()}\nbroker: {BrokerLog()}");
        await pairing.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(pairing.ExitCode == 0, $"the arm64 reader did not finish pairing: {ReaderLog()}");

        // The terminal watches; the arm64 reader connects with its new certificate and submits one result.
        var watch = Keep(Process.Start(new ProcessStartInfo("dotnet", [TerminalDll, "--broker-dir", BrokerDir, "--data", TerminalData, "watch", "--count", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!);
        var verified = watch.StandardOutput.ReadToEndAsync();
        var watchErrors = watch.StandardError.ReadToEndAsync();
        var reader = await Emulator.RunAsync(Emulator.SimulatedReader, ["run", "--reader-data", ReaderData, "--sessions", "1"], timeout: TimeSpan.FromMinutes(8));
        Assert.True(reader.ExitCode == 0, $"arm64 reader-sim-reader run: {reader}");
        var submitted = reader.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.TryGetProperty("event", out var kind) && kind.GetString() == "submitted");
        await watch.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var document = (await verified).Trim();
        Assert.True(document.StartsWith('{'), $"the terminal verified no result: {Emulator.Tail(await watchErrors)}");
        return (submitted.GetProperty("sessionId").GetString()!, document);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_running))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        await _broker.DisposeAsync();
    }

    private static async Task<Run> X64TerminalAsync(IEnumerable<string> arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [TerminalDll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        return new Run(process.ExitCode, await stdout, await stderr);
    }

    private string BrokerLog() => Emulator.Tail(_broker.ReadLog(), 25);

    private Process Keep(Process process)
    {
        _running.Add(process);
        return process;
    }
}
