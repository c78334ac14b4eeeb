using System.Diagnostics;
using System.Text.Json;

namespace Reader.Protocol.Tests.Infrastructure;

/// <summary>`reader-sim-reader run` (hardware-sim/SimulatedReader) as its own process, so a test can kill -9 it.</summary>
internal sealed class SimulatedReaderProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private SimulatedReaderProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add(e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The reference terminal, built beside this test assembly (the CLI tests run it).</summary>
    public static string TerminalDll => Built("Reader.Terminal", "reader-terminal");

    /// <summary>The simulated reader, built beside this test assembly.</summary>
    public static string SimulatedReaderDll => Built("Reader.SimulatedReader", "reader-sim-reader");

    private static string Built(string project, string assembly)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        string path = Path.Combine(here.Parent!.Parent!.FullName, project, here.Name, assembly + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assembly} is not built", path);
    }

    public static SimulatedReaderProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [SimulatedReaderDll, "run", .. arguments])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return new SimulatedReaderProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start the simulated reader"));
    }

    public bool HasExited => _process.HasExited;

    /// <summary>JSON lines printed so far with "event" equal to <paramref name="name"/>.</summary>
    public int Count(string name)
    {
        lock (_lines)
        {
            return _lines.Count(l => l.Contains($"\"event\":\"{name}\"", StringComparison.Ordinal));
        }
    }

    public IReadOnlyList<string> SessionIds(string eventName)
    {
        lock (_lines)
        {
            return _lines.Where(l => l.Contains($"\"event\":\"{eventName}\"", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("sessionId").GetString()!)
                .ToList();
        }
    }

    /// <summary>SIGKILL: no clean disconnect, no last status, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
