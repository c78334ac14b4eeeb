namespace Reader.Device.Hosting.Sections;

/// <summary>The "Protocol" section: the reader's data folder, the clinic broker and the link's bounds.</summary>
public sealed class ProtocolOptions : IReaderOptions
{
    /// <summary>Identity, pairing, outbox, facility configuration. Empty: <c>$READER_RUN/reader</c> / <c>/var/lib/reader</c>.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>The clinic broker for pairing. Empty: 127.0.0.1 in development; required on a device.</summary>
    public string BrokerHost { get; set; } = "";

    /// <summary>&gt; 0 overrides the paired broker's TLS port (and host, with <see cref="BrokerHost"/>).</summary>
    public int BrokerPort { get; set; }

    /// <summary>The broker's pairing listener. 0: 18884 in development (./reader sim up), 1884 on a device.</summary>
    public int PairingPort { get; set; }

    /// <summary>
    /// The outbox key's file. Empty: <c>{DataDirectory}/identity/outbox.key</c>. On a device it belongs in the TPM
    /// (reader.service: <c>LoadCredentialEncrypted=outbox.key:…</c> and this set to <c>%d/outbox.key</c>) or on a
    /// separate key partition; see firmware/README, "Keys on the device".
    /// </summary>
    public string OutboxKeyFile { get; set; } = "";

    /// <summary>Used only when the data folder has no reader id yet.</summary>
    public string ReaderId { get; set; } = "";

    public int CardCheckTimeoutMilliseconds { get; set; } = 3000;

    public int WillDelaySeconds { get; set; } = 5;

    public int ResultExpiryMinutes { get; set; } = 10;

    /// <summary>Reported in the retained info. Empty: reader-dev / reader.</summary>
    public string Model { get; set; } = "";

    public string ResolvedDataDirectory() => RunEnvironment.Resolve(DataDirectory, run => Path.Combine(run, "reader"), "/var/lib/reader");

    public string? ResolvedBrokerHost() => BrokerHost.Length > 0 ? BrokerHost : RunEnvironment.IsDevelopment ? "127.0.0.1" : null;

    public int ResolvedPairingPort() => PairingPort > 0 ? PairingPort : RunEnvironment.IsDevelopment ? 18884 : 1884;

    public string ResolvedModel() => RunEnvironment.Resolve(Model, _ => "reader-dev", "reader");

    public IEnumerable<string> Validate()
    {
        if (BrokerPort is < 0 or > 65535)
        {
            yield return $"BrokerPort: must be 0..65535, got {BrokerPort}";
        }

        if (PairingPort is < 0 or > 65535)
        {
            yield return $"PairingPort: must be 0..65535, got {PairingPort}";
        }

        if (CardCheckTimeoutMilliseconds is < 100 or > 30_000)
        {
            yield return $"CardCheckTimeoutMilliseconds: must be 100..30000, got {CardCheckTimeoutMilliseconds}";
        }

        if (WillDelaySeconds is < 0 or > 3600)
        {
            yield return $"WillDelaySeconds: must be 0..3600, got {WillDelaySeconds}";
        }

        if (ResultExpiryMinutes is < 1 or > 60)
        {
            yield return $"ResultExpiryMinutes: must be 1..60, got {ResultExpiryMinutes}";
        }

        if (OutboxKeyFile.Length > 0 && !Path.IsPathFullyQualified(OutboxKeyFile))
        {
            yield return $"OutboxKeyFile: must be an absolute path, got '{OutboxKeyFile}'";
        }

        if (ReaderId.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(ReaderId, "^[a-z0-9][a-z0-9-]{2,63}$"))
        {
            yield return $"ReaderId: lower-case letters, digits and '-', 3-64 characters, got '{ReaderId}'";
        }
    }
}
