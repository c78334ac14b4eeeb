using Reader.Protocol.Contract;

namespace Reader.Protocol.ReaderSide;

/// <summary>
/// What the device does when the terminal commands it. <see cref="ReaderLink"/> has already checked
/// size, shape, deadline, idempotency and (for APDUs) the relay allow-list; it bounds each call with
/// a time-out (the token is cancelled) and turns exceptions into a "failed" response, so a handler
/// only does the work and says how it went.
/// </summary>
public interface IReaderCommandHandler
{
    /// <summary>自動運転 / 目視 / maintenance. On Ok the link records the mode and republishes the status.</summary>
    Task<CommandOutcome> SetModeAsync(ReaderMode mode, CancellationToken cancellationToken);

    /// <summary>Cancel the running session (only <paramref name="sessionId"/> when given).</summary>
    Task<CommandOutcome> CancelSessionAsync(string? sessionId, CancellationToken cancellationToken);

    /// <summary>Consent items and texts, e-prescription on/off, languages (already validated).</summary>
    Task<CommandOutcome> ApplyConfigurationAsync(FacilityConfiguration configuration, CancellationToken cancellationToken);

    Task<SelfTestOutcome> RunSelfTestAsync(CancellationToken cancellationToken);

    /// <summary>Send one allow-listed APDU to the card of the running session; the card guard still applies.</summary>
    Task<ApduRelayOutcome> RelayApduAsync(string sessionId, ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken);

    /// <summary>Start installing a signed bundle; answer Accepted once started (progress shows in status/info).</summary>
    Task<CommandOutcome> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken);
}

public sealed record CommandOutcome(CommandStatus Status, string? Detail = null)
{
    public static readonly CommandOutcome Done = new(CommandStatus.Ok);
}

public sealed record SelfTestOutcome(CommandStatus Status, IReadOnlyList<SelfTestCheck> Checks);

public sealed record ApduRelayOutcome(CommandStatus Status, ReadOnlyMemory<byte> ResponseApdu, string? Detail = null);

public sealed record UpdateOrder(Uri BundleUrl, string Sha256, string Version);
