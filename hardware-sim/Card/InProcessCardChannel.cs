using Reader.Card.Pcsc;
using Reader.HardwareSim.Card;

namespace Reader.Card.Tests.Support;

/// <summary>The seam fake: an <see cref="ICardChannel"/> straight onto a simulated card, optionally mutating responses.</summary>
internal sealed class InProcessChannel : ICardChannel
{
    private readonly VirtualMyNumberCard _card;

    public InProcessChannel(VirtualMyNumberCard card)
    {
        _card = card;
        _card.PowerOn();
    }

    public List<byte[]> Sent { get; } = [];

    /// <summary>Rewrites a response before the client sees it (fuzzing); return null to simulate a lost card.</summary>
    public Func<byte[], byte[], byte[]?>? Mutate { get; set; }

    public ReadOnlyMemory<byte> Atr => _card.Atr;

    public ValueTask<int> TransmitAsync(ReadOnlyMemory<byte> command, Memory<byte> response, CancellationToken cancellationToken)
    {
        Sent.Add(command.ToArray());
        var answer = _card.Process(command.Span);
        if (Mutate is not null)
        {
            answer = Mutate(command.ToArray(), answer) ?? throw new IOException("card gone");
        }

        answer.CopyTo(response);
        return ValueTask.FromResult(answer.Length);
    }

    public ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        _card.PowerOff();
        _card.PowerOn();
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _card.PowerOff();
}
