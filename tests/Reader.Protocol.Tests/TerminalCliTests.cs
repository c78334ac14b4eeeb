using System.Diagnostics;
using System.Text.Json;
using Reader.Protocol.Identity;
using Reader.Protocol.Tests.Infrastructure;

namespace Reader.Protocol.Tests;

/// <summary>`reader-terminal watch` and one-shot commands as the clinic uses them (separate processes).</summary>
public sealed class TerminalCliTests
{
    [Fact]
    public async Task Watch_prints_verified_results_as_JSON_lines_and_drops_each_as_a_file()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-w001");
        string folder = Path.Combine(broker.Root, "results");
        using Process watch = StartTerminal(broker, "watch", "--count", "2", "--out", folder);
        await Task.Delay(1500);
        await using (SimulatedReaderProcess reader = SimulatedReaderProcess.Start("--reader-data", identity.DataDirectory, "--sessions", "2"))
        {
            await watch.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        string[] lines = (await watch.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, watch.ExitCode);
        Assert.Equal(2, lines.Length);
        foreach (string line in lines)
        {
            using JsonDocument result = JsonDocument.Parse(line);
            Assert.Equal("rdr-w001", result.RootElement.GetProperty("readerId").GetString());
            Assert.True(result.RootElement.GetProperty("signatureVerified").GetBoolean());
            JsonElement oqs = result.RootElement.GetProperty("oqs");
            Assert.Equal("1", oqs.GetProperty("PharmacistsInfoConsFlg").GetString());
            Assert.Matches("^[0-9]{14}$", oqs.GetProperty("PharmacistsInfoAvailableTime").GetString()!);
        }

        string[] files = Directory.GetFiles(folder);
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.Matches(@"^\d{14}_rdr-w001_sess-[0-9a-f]+\.json$", Path.GetFileName(f)));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public async Task Mode_command_answers_with_the_reader_status_code_and_an_exit_code()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-w002");
        await using SimulatedReaderProcess reader = SimulatedReaderProcess.Start("--reader-data", identity.DataDirectory, "--sessions", "0", "--stay");
        await Eventually.TrueAsync(() => reader.Count("connected") == 1, TimeSpan.FromSeconds(30), "the simulated reader to connect");

        using Process mode = StartTerminal(broker, "mode", "rdr-w002", "visual-check");
        await mode.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        using JsonDocument response = JsonDocument.Parse(await mode.StandardOutput.ReadToEndAsync());
        Assert.Equal(0, mode.ExitCode);
        Assert.Equal("ok", response.RootElement.GetProperty("status").GetString());
        Assert.Equal("visual-check", response.RootElement.GetProperty("mode").GetString());

        using Process absent = StartTerminal(broker, "self-test", "rdr-none01");
        await absent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4, absent.ExitCode);
    }

    private static Process StartTerminal(TestBroker broker, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [SimulatedReaderProcess.TerminalDll, "--broker-dir", broker.Layout.Directory, "--data", Path.Combine(broker.Root, "terminal-data"), .. arguments])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start reader-terminal");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }
}
