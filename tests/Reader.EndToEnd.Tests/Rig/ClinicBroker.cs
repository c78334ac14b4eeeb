using System.Diagnostics.CodeAnalysis;
using Reader.Protocol.TerminalSide;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>
/// The clinic's mosquitto as the terminal sets it up (<see cref="BrokerSetup"/>: CA, TLS listener with client
/// certificates, ACLs, pairing listener) on free loopback ports in the rig's folder, run by the shared
/// <see cref="BrokerProcess"/>.
/// </summary>
internal sealed class ClinicBroker : IAsyncDisposable
{
    private readonly BrokerProcess process;

    private ClinicBroker(BrokerLayout layout, TerminalProfile profile, BrokerProcess process)
    {
        Layout = layout;
        Profile = profile;
        this.process = process;
    }

    public BrokerLayout Layout { get; }

    public TerminalProfile Profile { get; }

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The broker owns the process and disposes it.")]
    public static async Task<ClinicBroker> StartAsync(string folder, CancellationToken cancellationToken)
    {
        var layout = BrokerSetup.Initialise(new BrokerSetupOptions
        {
            Directory = Path.Combine(folder, "broker"),
            TlsPort = FreePort.Next(),
            PairingPort = FreePort.Next(),
        });
        var profile = TerminalProfile.Load(Path.Combine(layout.TerminalDirectory, TerminalProfile.FileName));
        var process = new BrokerProcess(layout.ConfigFile, Path.Combine(layout.Directory, "mosquitto.out"), profile.TlsPort, profile.PairingPort);
        try
        {
            await process.StartAsync(cancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new ClinicBroker(layout, profile, process);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
