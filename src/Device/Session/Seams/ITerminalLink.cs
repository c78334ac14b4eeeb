using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Session.Seams;

/// <summary>The terminal seam (over <see cref="ReaderLink"/> in production): events, the card check, results, status.</summary>
internal interface ITerminalLink
{
    /// <summary>Informational; dropped when not connected. Never throws for a lost connection.</summary>
    Task PublishEventAsync(SessionEvent sessionEvent, CancellationToken cancellationToken);

    /// <summary>Registered? and the PIN-path challenge; bounded, falls back by itself.</summary>
    Task<CardCheckOutcome> CheckCardAsync(string sessionId, ReadOnlyMemory<byte> certificateDer, CancellationToken cancellationToken);

    SessionResult NewResult(string sessionId, VerificationMethod method, Decision decision);

    /// <summary>Signed and durable in the outbox when this returns.</summary>
    Task<ResultReceipt> SubmitResultAsync(SessionResult result, CancellationToken cancellationToken);

    /// <summary>The retained status says busy while a session runs.</summary>
    Task SetSessionActiveAsync(bool active, CancellationToken cancellationToken);

    /// <summary>A mode change decided on the reader (目視 back to automatic).</summary>
    Task SetModeAsync(ReaderMode mode, CancellationToken cancellationToken);
}
