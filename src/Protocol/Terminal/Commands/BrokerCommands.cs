using System.CommandLine;
using System.Net;
using System.Text.Json;
using Reader.Protocol.TerminalSide;

namespace Reader.Terminal.Commands;

/// <summary><c>broker init</c>: the clinic CA, certificates, ACLs and mosquitto.conf from the templates.</summary>
internal static class BrokerCommands
{
    public static IEnumerable<Command> Create()
    {
        var tlsPort = new Option<int>("--tls-port") { Description = "TLS listener (readers, terminal)", DefaultValueFactory = _ => 8883 };
        var pairingPort = new Option<int>("--pairing-port") { Description = "pairing listener (unpaired readers)", DefaultValueFactory = _ => 1884 };
        var bind = new Option<string>("--bind") { Description = "address the listeners bind", DefaultValueFactory = _ => "127.0.0.1" };
        var terminalId = new Option<string>("--terminal-id") { Description = "terminal id (term-…)", DefaultValueFactory = _ => "term-01" };
        var host = new Option<string[]>("--host") { Description = "names readers use for the broker (certificate SANs)", DefaultValueFactory = _ => ["localhost"] };
        var init = new Command("init", "create (or refresh) the clinic broker folder: CA, broker and terminal certificates, ACLs, mosquitto.conf")
        {
            tlsPort, pairingPort, bind, terminalId, host,
        };
        init.SetAction(parse =>
        {
            string bindAddress = parse.GetValue(bind)!;
            var addresses = new List<IPAddress> { IPAddress.Loopback };
            if (IPAddress.TryParse(bindAddress, out IPAddress? bound) && !IPAddress.IsLoopback(bound) && !bound.Equals(IPAddress.Any))
            {
                addresses.Add(bound);
            }

            BrokerLayout layout = BrokerSetup.Initialise(new BrokerSetupOptions
            {
                Directory = TerminalContext.BrokerDirectory(parse),
                TlsPort = parse.GetValue(tlsPort),
                PairingPort = parse.GetValue(pairingPort),
                BindAddress = bindAddress,
                TerminalId = parse.GetValue(terminalId)!,
                HostNames = parse.GetValue(host)!,
                Addresses = addresses,
            });
            using var output = new Utf8JsonWriter(Console.OpenStandardOutput());
            output.WriteStartObject();
            output.WriteString("config", layout.ConfigFile);
            output.WriteString("ca", layout.CaFile);
            output.WriteString("log", layout.LogFile);
            output.WriteString("pidFile", layout.PidFile);
            output.WriteEndObject();
            output.Flush();
            Console.WriteLine();
            return 0;
        });

        yield return new Command("broker", "clinic broker set-up") { init };
    }
}
