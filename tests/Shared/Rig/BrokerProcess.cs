using System.Diagnostics;
using System.Net.Sockets;

namespace Reader.TestSupport;

/// <summary>
/// One mosquitto process on a fixed configuration and ports (<see cref="ClinicBroker"/>'s, or a configuration of the
/// user's own such as the fleet bench's regional broker), which a fault can kill (SIGKILL, as a crash or a power cut of
/// the machine it runs on) and start again on the same ports, and a test can make reload (SIGHUP).
/// </summary>
internal sealed class BrokerProcess : IAsyncDisposable
{
    private readonly string configFile;
    private readonly int[] ports;
    private readonly string logFile;
    private Process? process;

    public BrokerProcess(string configFile, string logFile, params int[] ports)
    {
        this.configFile = configFile;
        this.logFile = logFile;
        this.ports = ports;
    }

    public bool Running => process is { HasExited: false };

    public int? ProcessId => process is { HasExited: false } running ? running.Id : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("mosquitto", ["-c", configFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("cannot start mosquitto");
        var log = logFile;
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                throw new BrokerExitedException($"mosquitto exited with {process.ExitCode} (see {logFile}): {Tail(logFile)}");
            }

            var listening = true;
            foreach (var port in ports)
            {
                listening &= await AcceptsAsync(port, cancellationToken);
            }

            if (listening)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"mosquitto did not listen on {string.Join(", ", ports)} within 30 s (see {logFile})");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>SIGKILL: no clean disconnects, no last save of its persistence.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>SIGHUP: mosquitto reloads its ACLs, certificates and CRL.</summary>
    public void Reload()
    {
        if (ProcessId is { } id)
        {
            using var kill = Process.Start("kill", ["-HUP", id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
        }
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Tail(string file)
    {
        try
        {
            string text = File.Exists(file) ? File.ReadAllText(file).Trim() : string.Empty;
            return text.Length > 400 ? text[^400..] : text;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static void Append(string file, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            File.AppendAllText(file, line + "\n");
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>mosquitto ended while starting (its log's last lines in the message), as opposed to never listening.</summary>
internal sealed class BrokerExitedException(string message) : InvalidOperationException(message);
