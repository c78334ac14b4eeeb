using System.Diagnostics;
using System.Net.Sockets;
using Reader.Protocol.TerminalSide;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>
/// The clinic's mosquitto as the terminal sets it up (<see cref="BrokerSetup"/>: CA, TLS listener with client
/// certificates, ACLs, pairing listener) on free loopback ports in the rig's folder.
/// </summary>
internal sealed class ClinicBroker : IAsyncDisposable
{
    private readonly Process process;

    private ClinicBroker(BrokerLayout layout, TerminalProfile profile, Process process)
    {
        Layout = layout;
        Profile = profile;
        this.process = process;
    }

    public BrokerLayout Layout { get; }

    public TerminalProfile Profile { get; }

    public static async Task<ClinicBroker> StartAsync(string folder, CancellationToken cancellationToken)
    {
        var layout = BrokerSetup.Initialise(new BrokerSetupOptions
        {
            Directory = Path.Combine(folder, "broker"),
            TlsPort = FreePort.Next(),
            PairingPort = FreePort.Next(),
        });
        var profile = TerminalProfile.Load(Path.Combine(layout.TerminalDirectory, TerminalProfile.FileName));
        var process = Process.Start(new ProcessStartInfo("mosquitto", ["-c", layout.ConfigFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("cannot start mosquitto");
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var broker = new ClinicBroker(layout, profile, process);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {process.ExitCode} (see {layout.Directory})");
            }

            if (await AcceptsAsync(profile.TlsPort, cancellationToken) && await AcceptsAsync(profile.PairingPort, cancellationToken))
            {
                return broker;
            }

            await Task.Delay(50, cancellationToken);
        }

        await broker.DisposeAsync();
        throw new TimeoutException("mosquitto did not start listening");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

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
}
