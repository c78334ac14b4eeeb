using System.Net;
using System.Reflection;
using Reader.Shared.Storage;

namespace Reader.Protocol.TerminalSide;

/// <summary>Where a clinic broker's files live (one folder, everything generated on first use).</summary>
public sealed record BrokerLayout(string Directory)
{
    public string ConfigFile => Path.Combine(Directory, "mosquitto.conf");

    public string CaDirectory => Path.Combine(Directory, "ca");

    public string CaFile => Path.Combine(CaDirectory, ClinicCertificateAuthority.CertificateFileName);

    public string LogFile => Path.Combine(Directory, "mosquitto.log");

    public string PidFile => Path.Combine(Directory, "mosquitto.pid");

    public string TerminalDirectory => Path.Combine(Directory, "terminal");

    public string CertificateFile(string clientId) => Path.Combine(TerminalDirectory, clientId + ".crt");

    public string KeyFile(string clientId) => Path.Combine(TerminalDirectory, clientId + ".key");
}

public sealed record BrokerSetupOptions
{
    public required string Directory { get; init; }

    public int TlsPort { get; init; } = 8883;

    public int PairingPort { get; init; } = 1884;

    public string BindAddress { get; init; } = "127.0.0.1";

    public string TerminalId { get; init; } = "term-01";

    public string ClinicName { get; init; } = "Clinic";

    public IReadOnlyList<string> HostNames { get; init; } = ["localhost"];

    public IReadOnlyList<IPAddress> Addresses { get; init; } = [IPAddress.Loopback];
}

/// <summary>
/// Prepares a clinic broker from the templates in src/Protocol/broker: the clinic CA, the broker's
/// certificate, the terminal's client certificates (watch service and operator), the ACL files and
/// mosquitto.conf, plus the terminal profile that <see cref="TerminalProfile"/> reads. Idempotent:
/// existing keys and certificates are kept, configuration files are re-rendered.
/// </summary>
public static class BrokerSetup
{
    public static BrokerLayout Initialise(BrokerSetupOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layout = new BrokerLayout(Path.GetFullPath(options.Directory));
        SecureFile.EnsurePrivateDirectory(layout.Directory);
        SecureFile.EnsurePrivateDirectory(layout.TerminalDirectory);
        System.IO.Directory.CreateDirectory(Path.Combine(layout.Directory, "data"));

        using ClinicCertificateAuthority authority = ClinicCertificateAuthority.OpenOrCreate(layout.CaDirectory, options.ClinicName);
        string brokerCertificate = Path.Combine(layout.Directory, "broker.crt");
        string brokerKey = Path.Combine(layout.Directory, "broker.key");
        if (!File.Exists(brokerCertificate) || !File.Exists(brokerKey))
        {
            authority.IssueServerCertificate(brokerCertificate, brokerKey, options.HostNames, options.Addresses);
        }

        foreach (string clientId in new[] { options.TerminalId, options.TerminalId + "-op" })
        {
            if (!File.Exists(layout.CertificateFile(clientId)) || !File.Exists(layout.KeyFile(clientId)))
            {
                authority.IssueTerminalCertificate(clientId, layout.CertificateFile(clientId), layout.KeyFile(clientId));
            }
        }

        var values = new Dictionary<string, string>
        {
            ["DIR"] = layout.Directory,
            ["TLS_PORT"] = options.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PAIRING_PORT"] = options.PairingPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BIND"] = options.BindAddress,
            ["TERMINAL_ID"] = options.TerminalId,
            ["USER"] = Environment.UserName,
        };
        SecureFile.WriteAllText(layout.ConfigFile, Render("mosquitto.conf.template", values));
        SecureFile.WriteAllText(Path.Combine(layout.Directory, "acl-clients"), Render("acl-clients.template", values));
        SecureFile.WriteAllText(Path.Combine(layout.Directory, "acl-pairing"), Render("acl-pairing.template", values));

        var profile = new TerminalProfile
        {
            TerminalId = options.TerminalId,
            BrokerHost = options.HostNames.Count > 0 ? options.HostNames[0] : options.BindAddress,
            TlsPort = options.TlsPort,
            PairingPort = options.PairingPort,
            BrokerDirectory = layout.Directory,
        };
        profile.Save(Path.Combine(layout.TerminalDirectory, TerminalProfile.FileName));
        return layout;
    }

    /// <summary>Fills {{NAME}} placeholders of an embedded template; an unknown placeholder is an error.</summary>
    public static string Render(string templateName, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("broker/" + templateName)
            ?? throw new FileNotFoundException($"template {templateName} is not embedded");
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd();
        foreach ((string key, string value) in values)
        {
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        int unknown = text.IndexOf("{{", StringComparison.Ordinal);
        if (unknown >= 0)
        {
            throw new InvalidOperationException($"template {templateName} has an unfilled placeholder at {unknown}");
        }

        return text;
    }
}
