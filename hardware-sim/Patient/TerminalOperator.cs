using System.Runtime.Versioning;
using Reader.Protocol.Contract;
using Reader.Protocol.Pairing;
using Reader.Protocol.TerminalSide;

namespace Reader.HardwareSim.Patient;

/// <summary>
/// Clinic staff at the reference terminal, for patient scripts: switches a paired reader's mode with the
/// terminal's operator identity (<c>{terminal}-op</c>, so a running <c>reader-terminal watch</c> keeps its connection).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TerminalOperator(string brokerDirectory, string terminalDataDirectory, string? readerId = null)
{
    /// <summary>Types the code read off the reader's screen at the terminal: the terminal's side of pairing.</summary>
    public Task<PairedReader> PairAsync(string code, CancellationToken cancellationToken)
    {
        var profile = TerminalProfile.Load(Path.Combine(new BrokerLayout(brokerDirectory).TerminalDirectory, TerminalProfile.FileName));
        return TerminalPairing.PairAsync(new TerminalPairingOptions { Profile = profile, DataDirectory = terminalDataDirectory }, code, readerId, null, cancellationToken);
    }

    public async Task SetModeAsync(string mode, CancellationToken cancellationToken)
    {
        var wanted = mode switch
        {
            "visual-check" or "visual" => ReaderMode.VisualCheck,
            "automatic" or "auto" => ReaderMode.Automatic,
            "maintenance" => ReaderMode.Maintenance,
            _ => throw new ArgumentException($"unknown mode '{mode}' (visual-check, automatic, maintenance)", nameof(mode)),
        };
        var profile = TerminalProfile.Load(Path.Combine(new BrokerLayout(brokerDirectory).TerminalDirectory, TerminalProfile.FileName));
        var reader = readerId ?? new PairedReaderRegistry(terminalDataDirectory).List() switch
        {
            [var only] => only,
            [] => throw new PatientScriptException("no reader is paired with the terminal"),
            _ => throw new PatientScriptException("several readers are paired: name one (--reader)"),
        };
        await using var client = TerminalClient.Create(new TerminalClientOptions
        {
            TerminalId = profile.TerminalId,
            ClientId = profile.TerminalId + "-op",
            Broker = profile.BrokerOptions(operatorIdentity: true),
            DataDirectory = terminalDataDirectory,
            ServeReaders = false,
        });
        await client.StartAsync(waitForConnection: true, cancellationToken);
        var response = await client.SetModeAsync(reader, wanted, cancellationToken);
        if (response.Status is not (CommandStatus.Ok or CommandStatus.Accepted))
        {
            throw new PatientScriptException($"the reader answered {response.Status} to set-mode {mode}");
        }
    }
}
