using System.Text.Json.Serialization;

namespace Reader.Protocol.Contract;

/// <summary>Terminal → reader commands (topic <c>…/cmd/{name}</c>).</summary>
public enum CommandName
{
    SetMode,
    CancelSession,
    PushConfig,
    SelfTest,
    RelayApdu,
    StartUpdate,
}

public static class CommandNames
{
    private static readonly Dictionary<CommandName, string> Wire = new()
    {
        [CommandName.SetMode] = "set-mode",
        [CommandName.CancelSession] = "cancel-session",
        [CommandName.PushConfig] = "push-config",
        [CommandName.SelfTest] = "self-test",
        [CommandName.RelayApdu] = "relay-apdu",
        [CommandName.StartUpdate] = "start-update",
    };

    public static string ToWire(CommandName name) => Wire[name];

    public static bool TryParse(string wire, out CommandName name)
    {
        foreach ((CommandName key, string value) in Wire)
        {
            if (value == wire)
            {
                name = key;
                return true;
            }
        }

        name = default;
        return false;
    }
}

/// <summary>Status codes of a command response (explicit; a missing response is a time-out on the terminal side).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<CommandStatus>))]
public enum CommandStatus
{
    /// <summary>Done.</summary>
    Ok,

    /// <summary>Started; the outcome shows later (e.g. an update reports through status/info).</summary>
    Accepted,

    BadRequest,
    TooLarge,
    UnknownCommand,

    /// <summary>Refused by policy (e.g. an APDU outside the allow-list, or the card guard).</summary>
    NotAllowed,

    /// <summary>The session named is not the current one (or there is none).</summary>
    NoSession,

    Busy,

    /// <summary>The reader's handler did not finish within the command's bound.</summary>
    Timeout,

    /// <summary>The request's deadline had passed when it arrived.</summary>
    Expired,

    Failed,
    Unsupported,
}

/// <summary>Fields every command request carries.</summary>
public abstract record CommandRequest
{
    public int V { get; init; } = ContractVersion.Major;

    /// <summary>Idempotency key: a retried request with the same id gets the same response, not a second run.</summary>
    public required string RequestId { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>After this the reader answers "expired" instead of acting.</summary>
    public DateTimeOffset? Deadline { get; init; }
}

public sealed record SetModeRequest : CommandRequest
{
    public required ReaderMode Mode { get; init; }
}

public sealed record CancelSessionRequest : CommandRequest
{
    /// <summary>Cancel only this session; null cancels whatever session is running.</summary>
    public string? SessionId { get; init; }
}

public sealed record PushConfigRequest : CommandRequest
{
    public required FacilityConfiguration Configuration { get; init; }
}

public sealed record SelfTestRequest : CommandRequest;

public sealed record RelayApduRequest : CommandRequest
{
    public required string SessionId { get; init; }

    /// <summary>The command APDU, hex.</summary>
    public required string Apdu { get; init; }
}

public sealed record StartUpdateRequest : CommandRequest
{
    /// <summary>Where the reader fetches the signed bundle (http(s) on the clinic LAN, or a local path).</summary>
    public required string BundleUrl { get; init; }

    public required string Sha256 { get; init; }

    public required string Version { get; init; }
}

/// <summary>The reader's response, published to the request's Response Topic with its Correlation Data.</summary>
public sealed record CommandResponse
{
    public int V { get; init; } = ContractVersion.Major;

    /// <summary>Echo of the request id (empty when the request was too malformed to have one).</summary>
    public required string RequestId { get; init; }

    public required string Command { get; init; }

    public required CommandStatus Status { get; init; }

    /// <summary>A short machine-readable reason (never personal data).</summary>
    public string? Detail { get; init; }

    /// <summary>set-mode: the mode now in force.</summary>
    public ReaderMode? Mode { get; init; }

    /// <summary>push-config: the configuration version now in force.</summary>
    public int? ConfigurationVersion { get; init; }

    /// <summary>self-test: one line per check.</summary>
    public IReadOnlyList<SelfTestCheck>? Checks { get; init; }

    /// <summary>relay-apdu: the card's response APDU (data + SW1SW2), hex.</summary>
    public string? ApduResponse { get; init; }

    public required DateTimeOffset At { get; init; }
}

/// <summary>One self-test line: which check, whether it passed, and a short code when not.</summary>
public sealed record SelfTestCheck(string Check, bool Ok, string? Code = null);

/// <summary>Facility configuration pushed by the terminal (desired state with a version).</summary>
public sealed record FacilityConfiguration
{
    /// <summary>Increases with every change; the reader refuses an older version than the one it has.</summary>
    public required int Version { get; init; }

    public required IReadOnlyList<ConsentItemDefinition> ConsentItems { get; init; }

    /// <summary>電子処方箋: ask 電子 / 紙 after consent.</summary>
    public required bool EPrescription { get; init; }

    /// <summary>UI languages offered, first is the default (ja first).</summary>
    public required IReadOnlyList<string> Languages { get; init; }

    /// <summary>Seconds after which visual-check mode returns to automatic by itself (0 = never).</summary>
    public int VisualCheckAutoReturnSeconds { get; init; }
}

public sealed record ConsentItemDefinition
{
    /// <summary>OQS item prefix, e.g. "PharmacistsInfo".</summary>
    public required string Key { get; init; }

    /// <summary>Language code → texts shown on the touchscreen.</summary>
    public required IReadOnlyDictionary<string, LocalizedConsentText> Texts { get; init; }
}

public sealed record LocalizedConsentText(string Title, string Description);
