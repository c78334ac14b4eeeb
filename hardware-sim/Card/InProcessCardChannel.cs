using Reader.Card.Pcsc;

namespace Reader.HardwareSim.Card;

/// <summary>
/// The in-process way to use a virtual card: an <see cref="ICardChannel"/> straight onto it (no pcscd), for unit
/// tests behind the channel seam, the bench's models and tools. Responses can be rewritten (fuzzing, torn reads).
/// </summary>
public sealed class InProcessCardChannel : ICardChannel
{
    private readonly VirtualMyNumberCard _card;

    public InProcessCardChannel(VirtualMyNumberCard card)
    {
        _card = card;
        _card.PowerOn();
    }

    public List<byte[]> Sent { get; } = [];

    /// <summary>Rewrites a response before the client sees it (fuzzing); return null to simulate a lost card.</summary>
    public Func<byte[], byte[], byte[]?>? Mutate { get; set; }

    public ReadOnlyMemory<byte> Atr => _card.Atr;

    /// <summary>What this stand-in reader says it carries (PC/SC part 10 dwMaxAPDUDataSize); 0 = short APDUs only.</summary>
    public int MaxApduDataSize { get; set; }

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
