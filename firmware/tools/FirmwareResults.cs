namespace Reader.Firmware;

/// <summary>One image inside a bundle, as the signed RAUC manifest lists it.</summary>
public sealed record BundleImage(string SlotClass, string FileName, string Sha256, long Size);

/// <summary>What a verified bundle is: only filled from signed data.</summary>
public sealed record BundleInfo(
    string Compatible,
    string Version,
    int SecurityVersion,
    string Format,
    string? Signer,
    IReadOnlyList<BundleImage> Images);

/// <summary>Outcome of verify / install / mark-good: <see cref="Code"/> says what happened, <see cref="Message"/> why.</summary>
public sealed record FirmwareResult(FirmwareErrorCode Code, string Message, BundleInfo? Bundle = null)
{
    public bool Succeeded => Code == FirmwareErrorCode.None;

    internal static FirmwareResult Ok(string message, BundleInfo? bundle = null) => new(FirmwareErrorCode.None, message, bundle);

    internal static FirmwareResult Fail(FirmwareErrorCode code, string message, BundleInfo? bundle = null) => new(code, message, bundle);
}

/// <summary>One slot as RAUC reports it.</summary>
public sealed record SlotStatus(string Name, string SlotClass, string? BootName, string State, string? BootStatus, int? SecurityVersion);

/// <summary>The device's update state.</summary>
public sealed record FirmwareStatus(
    string Compatible,
    string? BootedSlot,
    string? PrimarySlot,
    int? SecurityFloor,
    IReadOnlyList<SlotStatus> Slots)
{
    /// <summary>Why <see cref="SecurityFloor"/> is null: the floor cannot be trusted, so nothing can be installed.</summary>
    public string? SecurityFloorProblem { get; init; }
}
