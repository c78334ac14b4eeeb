namespace Reader.Protocol.Contract;

/// <summary>Retained on <c>…/status</c>. No personal data: it stays on the broker until replaced.</summary>
public sealed record ReaderStatus
{
    public int V { get; init; } = ContractVersion.Major;

    public required string ReaderId { get; init; }

    public required ReaderState State { get; init; }

    public required ReaderMode Mode { get; init; }

    public bool SessionActive { get; init; }

    /// <summary>Why the reader is offline: "connection-lost" (the Will) or "shutdown".</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// The reader's dependencies that are down now (<see cref="ReaderFaults"/>: names only, the reasons are in the
    /// reader's journal and self-test); absent when all are well.
    /// </summary>
    public IReadOnlyList<string>? Faults { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The headline state for a mode and activity (maintenance wins, then busy, then visual check).</summary>
    public static ReaderState StateFor(ReaderMode mode, bool sessionActive) => mode switch
    {
        ReaderMode.Maintenance => ReaderState.Maintenance,
        _ when sessionActive => ReaderState.Busy,
        ReaderMode.VisualCheck => ReaderState.VisualCheck,
        _ => ReaderState.Online,
    };
}

/// <summary>The names a reader may put in <see cref="ReaderStatus.Faults"/> (an allow-list, as in the JSON Schema).</summary>
public static class ReaderFaults
{
    public const string Pcscd = "pcscd";
    public const string Camera = "camera";
    public const string DataFolder = "data-folder";
    public const string LogFolder = "log-folder";
    public const string KioskPage = "kiosk-page";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Pcscd, Camera, DataFolder, LogFolder, KioskPage };
}

/// <summary>Retained on <c>…/info</c>: what this reader is and can do.</summary>
public sealed record ReaderInfo
{
    public int V { get; init; } = global::Reader.Protocol.Contract.ContractVersion.Major;

    public required string ReaderId { get; init; }

    public required string FirmwareVersion { get; init; }

    public string ContractVersion { get; init; } = global::Reader.Protocol.Contract.ContractVersion.Current;

    public required IReadOnlyList<ReaderCapability> Capabilities { get; init; }

    public string? Model { get; init; }

    public required DateTimeOffset At { get; init; }
}

/// <summary>Retained on <c>cr/v1/term/{id}/status</c> (the terminal's Will sets offline).</summary>
public sealed record TerminalStatus
{
    public int V { get; init; } = ContractVersion.Major;

    public required string TerminalId { get; init; }

    public required TerminalState State { get; init; }

    public required DateTimeOffset At { get; init; }
}
