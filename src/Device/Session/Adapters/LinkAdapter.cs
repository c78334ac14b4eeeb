using Reader.Device.Session.Seams;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Session.Adapters;

/// <summary>
/// The terminal seam over <see cref="ReaderLink"/>. The link exists only once the reader is paired, so the
/// service attaches it when it starts; until then events are dropped and the card check falls back.
/// </summary>
internal sealed class LinkAdapter(TimeProvider time) : ITerminalLink
{
    private ReaderLink? _link;

    public ReaderLink? Link
    {
        get => Volatile.Read(ref _link);
        set => Volatile.Write(ref _link, value);
    }

    public async Task PublishEventAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        if (Link is { } link)
        {
            await link.PublishEventAsync(sessionEvent, cancellationToken);
        }
    }

    /// <summary>
    /// Asks the terminal — unless its retained status says it is not online: then nobody would answer, and the
    /// patient should not wait out the time-out (registration stays unknown, the reader makes the PIN challenge).
    /// </summary>
    public Task<CardCheckOutcome> CheckCardAsync(string sessionId, ReadOnlyMemory<byte> certificateDer, CancellationToken cancellationToken) =>
        Link is { TerminalOnline: true } link ? link.CheckCardAsync(sessionId, certificateDer, cancellationToken)
        : Task.FromResult(CardCheckOutcome.Fallback(Link is null ? "not-paired" : "terminal-offline"));

    public SessionResult NewResult(string sessionId, VerificationMethod method, Decision decision)
    {
        var link = Link ?? throw new InvalidOperationException("the reader is not paired: no result can be signed");
        return link.NewResult(sessionId, method, decision);
    }

    public Task<ResultReceipt> SubmitResultAsync(SessionResult result, CancellationToken cancellationToken)
    {
        var link = Link ?? throw new InvalidOperationException("the reader is not paired: no result can be signed");
        return link.SubmitResultAsync(result, cancellationToken);
    }

    public Task SetSessionActiveAsync(bool active, CancellationToken cancellationToken) =>
        Link is { } link ? link.SetSessionActiveAsync(active, cancellationToken) : Task.CompletedTask;

    public Task SetModeAsync(ReaderMode mode, CancellationToken cancellationToken) =>
        Link is { } link ? link.SetModeAsync(mode, cancellationToken) : Task.CompletedTask;

    public override string ToString() => $"LinkAdapter({(Link is null ? "not paired" : "paired")}, {time.GetUtcNow():O})";
}
