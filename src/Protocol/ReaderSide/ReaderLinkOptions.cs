using Reader.Protocol.Contract;
using Reader.Protocol.Transport;

namespace Reader.Protocol.ReaderSide;

/// <summary>Settings of a <see cref="ReaderLink"/> (no behaviour; see <see cref="ReaderLinkOptionsBuilder"/>).</summary>
public sealed record ReaderLinkOptions
{
    /// <summary>Identity (0700) and outbox live here.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// Where the outbox key is, when not beside the outbox (<c>{data}/identity/outbox.key</c>): on a device, a key
    /// the TPM unseals for the service (systemd <c>LoadCredentialEncrypted=</c>, then <c>$CREDENTIALS_DIRECTORY/outbox.key</c>)
    /// or a separate key partition (firmware/README, "Keys on the device"). Made there on first use when the folder
    /// is writable; a read-only place without the key is an error, never a fresh key.
    /// </summary>
    public string? OutboxKeyFile { get; init; }

    public required string FirmwareVersion { get; init; }

    public IReadOnlyList<ReaderCapability> Capabilities { get; init; } =
        [ReaderCapability.Face, ReaderCapability.Pin, ReaderCapability.Visual, ReaderCapability.Consent,
         ReaderCapability.EPrescription, ReaderCapability.ApduRelay, ReaderCapability.Update, ReaderCapability.SelfTest];

    public string? Model { get; init; }

    /// <summary>The terminal sees "offline" this long after the reader vanishes (a faster reconnect shows nothing).</summary>
    public TimeSpan WillDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Results not acknowledged by then are deleted, never sent late.</summary>
    public TimeSpan ResultExpiry { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>An unacknowledged result is sent again after this long (the terminal ignores duplicates).</summary>
    public TimeSpan ResultRetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on the card-placement request; after it the reader falls back (see <see cref="CardCheckOutcome"/>).</summary>
    public TimeSpan CardCheckTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan SelfTestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Larger commands are answered "too-large" without being parsed.</summary>
    public int MaxCommandBytes { get; init; } = 64 * 1024;

    public TimeSpan EventExpiry { get; init; } = TimeSpan.FromSeconds(60);

    public ReconnectPolicy Reconnect { get; init; } = new();

    /// <summary>Overrides where the broker is (host/port); normally it comes from pairing.</summary>
    public string? BrokerHostOverride { get; init; }

    public int? BrokerPortOverride { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Stage timestamps of each result (<c>bench mqtt</c>'s per-stage table); null = not traced.</summary>
    internal ResultPathTrace? Trace { get; init; }
}

/// <summary>Fluent construction of <see cref="ReaderLinkOptions"/>; <see cref="Build"/> validates.</summary>
public sealed class ReaderLinkOptionsBuilder
{
    private ReaderLinkOptions _options;

    public ReaderLinkOptionsBuilder(string dataDirectory, string firmwareVersion) =>
        _options = new ReaderLinkOptions { DataDirectory = dataDirectory, FirmwareVersion = firmwareVersion };

    public ReaderLinkOptionsBuilder WithCapabilities(params ReaderCapability[] capabilities) => Set(_options with { Capabilities = capabilities });

    public ReaderLinkOptionsBuilder WithModel(string model) => Set(_options with { Model = model });

    public ReaderLinkOptionsBuilder WithWillDelay(TimeSpan delay) => Set(_options with { WillDelay = delay });

    public ReaderLinkOptionsBuilder WithResultExpiry(TimeSpan expiry) => Set(_options with { ResultExpiry = expiry });

    public ReaderLinkOptionsBuilder WithResultRetryInterval(TimeSpan interval) => Set(_options with { ResultRetryInterval = interval });

    public ReaderLinkOptionsBuilder WithCardCheckTimeout(TimeSpan timeout) => Set(_options with { CardCheckTimeout = timeout });

    public ReaderLinkOptionsBuilder WithCommandTimeouts(TimeSpan command, TimeSpan selfTest) =>
        Set(_options with { CommandTimeout = command, SelfTestTimeout = selfTest });

    public ReaderLinkOptionsBuilder WithMaxCommandBytes(int bytes) => Set(_options with { MaxCommandBytes = bytes });

    public ReaderLinkOptionsBuilder WithReconnectPolicy(ReconnectPolicy policy) => Set(_options with { Reconnect = policy });

    public ReaderLinkOptionsBuilder WithBroker(string host, int port) => Set(_options with { BrokerHostOverride = host, BrokerPortOverride = port });

    public ReaderLinkOptionsBuilder WithTimeProvider(TimeProvider time) => Set(_options with { Time = time });

    public ReaderLinkOptionsBuilder WithOutboxKeyFile(string? path) => Set(_options with { OutboxKeyFile = string.IsNullOrEmpty(path) ? null : path });

    public ReaderLinkOptions Build()
    {
        ReaderLinkOptionsValidator.ThrowIfInvalid(_options);
        return _options;
    }

    private ReaderLinkOptionsBuilder Set(ReaderLinkOptions options)
    {
        _options = options;
        return this;
    }
}

public static class ReaderLinkOptionsValidator
{
    public static IReadOnlyList<string> Validate(ReaderLinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            problems.Add("DataDirectory is required");
        }

        if (options.OutboxKeyFile is { } keyFile && !Path.IsPathFullyQualified(keyFile))
        {
            problems.Add("OutboxKeyFile must be an absolute path");
        }

        if (string.IsNullOrWhiteSpace(options.FirmwareVersion) || options.FirmwareVersion.Length > 64)
        {
            problems.Add("FirmwareVersion is required (at most 64 characters)");
        }

        if (options.WillDelay < TimeSpan.FromSeconds(1) || options.WillDelay > TimeSpan.FromMinutes(5))
        {
            problems.Add("WillDelay must be 1 s to 5 min");
        }

        if (options.ResultExpiry < TimeSpan.FromSeconds(1) || options.ResultExpiry > TimeSpan.FromHours(1))
        {
            problems.Add("ResultExpiry must be 1 s to 1 h");
        }

        if (options.ResultRetryInterval < TimeSpan.FromMilliseconds(100))
        {
            problems.Add("ResultRetryInterval must be at least 100 ms");
        }

        if (options.CardCheckTimeout <= TimeSpan.Zero || options.CardCheckTimeout > TimeSpan.FromSeconds(30))
        {
            problems.Add("CardCheckTimeout must be above 0 and at most 30 s");
        }

        if (options.CommandTimeout <= TimeSpan.Zero || options.SelfTestTimeout <= TimeSpan.Zero)
        {
            problems.Add("command time-outs must be above 0");
        }

        if (options.MaxCommandBytes is < 1024 or > 1024 * 1024)
        {
            problems.Add("MaxCommandBytes must be 1 KiB to 1 MiB");
        }

        return problems;
    }

    public static void ThrowIfInvalid(ReaderLinkOptions options)
    {
        IReadOnlyList<string> problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid ReaderLinkOptions: " + string.Join("; ", problems), nameof(options));
        }
    }
}
