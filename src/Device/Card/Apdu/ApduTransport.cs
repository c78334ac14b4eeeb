using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Card.Errors;
using Reader.Card.Pcsc;

namespace Reader.Card.Apdu;

/// <summary>
/// Sends command APDUs to an <see cref="ICardChannel"/>, every one of them (GET RESPONSE and 6Cxx resends included)
/// through the <see cref="TransmitGuard"/>; counts traffic and maps transport failures to <see cref="CardException"/>.
/// Logs only headers and status words, never command data.
/// </summary>
public sealed class ApduTransport
{
    private const int MaxResponse = 65536 + 2;
    private readonly ICardChannel _channel;
    private readonly ILogger _logger;

    public ApduTransport(ICardChannel channel, ILogger? logger = null)
    {
        _channel = channel;
        _logger = logger ?? NullLogger.Instance;
    }

    public TransmitGuard Guard { get; } = new();

    public ApduCounters Counters { get; } = new();

    public ICardChannel Channel => _channel;

    /// <summary>Sends one of this reader's own commands (encoded here, wiped after sending) through the guard.</summary>
    public ValueTask<ResponseApdu> SendAsync(CommandApdu command, CancellationToken cancellationToken) =>
        SendAsync(command, CommandOrigin.Reader, cancellationToken);

    public async ValueTask<ResponseApdu> SendAsync(CommandApdu command, CommandOrigin origin, CancellationToken cancellationToken)
    {
        var encoded = command.ToArray();
        try
        {
            return await SendRawAsync(encoded, origin, cancellationToken);
        }
        finally
        {
            // Commands may carry a PIN or 照合番号B: do not leave them in memory.
            Array.Clear(encoded);
        }
    }

    /// <summary>
    /// Sends an encoded APDU through the guard as <paramref name="origin"/>'s. A 6Cxx answer is resent with the
    /// corrected Le only for commands that have an Le (cases 2 and 4), and only if the guard allows the corrected
    /// command too; a 61xx answer is collected with GET RESPONSE, each one checked by the guard.
    /// </summary>
    public async ValueTask<ResponseApdu> SendRawAsync(ReadOnlyMemory<byte> command, CommandOrigin origin, CancellationToken cancellationToken)
    {
        var response = await GuardedExchangeAsync(command, origin, cancellationToken);

        // 6Cxx: wrong Le; resend with the length the card asks for. Not for an extended Le: the card names a short
        // length, and the client falls back to short reads itself (and keeps to them for that card).
        if (response.Status.Sw1 == 0x6C && !CommandApdu.IsExtendedEncoding(command.Span) && CommandApdu.TryParse(command.Span, out var sent) && sent.Le > 0)
        {
            var corrected = (sent with { Le = response.Status.Sw2 == 0 ? 256 : response.Status.Sw2 }).ToArray();
            try
            {
                response = await GuardedExchangeAsync(corrected, origin, cancellationToken);
            }
            finally
            {
                Array.Clear(corrected);
            }
        }

        // 61xx: more data waiting, fetch it with GET RESPONSE.
        if (response.Status.Sw1 == 0x61)
        {
            var data = new ArrayBufferWriter<byte>();
            data.Write(response.Data);
            var rounds = 0;
            while (response.Status.Sw1 == 0x61 && rounds++ < 256)
            {
                response = await GuardedExchangeAsync(new byte[] { 0x00, 0xC0, 0x00, 0x00, response.Status.Sw2 }, origin, cancellationToken);
                data.Write(response.Data);
            }

            response = response with { Data = data.WrittenSpan.ToArray() };
        }

        return response;
    }

    public async ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _channel.ResetAsync(cancellationToken);
        }
        catch (PcscException e)
        {
            throw Map(e);
        }

        Guard.Reset();
    }

    internal static CardException Map(PcscException e) => e.Kind switch
    {
        PcscErrorKind.CardRemoved or PcscErrorKind.NoCard => new CardException(new CardError(CardErrorCode.CardRemoved, "the card was removed"), e),
        PcscErrorKind.NoReader => new CardException(new CardError(CardErrorCode.ReaderUnavailable, "the card reader is not available"), e),
        PcscErrorKind.NoService => new CardException(new CardError(CardErrorCode.ServiceUnavailable, "the PC/SC service is not running"), e),
        PcscErrorKind.SharingViolation => new CardException(new CardError(CardErrorCode.CardBusy, "the card is in use by another application"), e),
        PcscErrorKind.Timeout => new CardException(new CardError(CardErrorCode.Timeout, "the card did not answer in time"), e),
        _ => new CardException(new CardError(CardErrorCode.Unreadable, "the card could not be read"), e),
    };

    private async ValueTask<ResponseApdu> GuardedExchangeAsync(ReadOnlyMemory<byte> command, CommandOrigin origin, CancellationToken cancellationToken)
    {
        Guard.Check(command.Span, origin);
        var response = await ExchangeAsync(command, cancellationToken);
        Guard.Observe(command.Span, response.Status, origin);
        return response;
    }

    private async ValueTask<ResponseApdu> ExchangeAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxResponse);
        try
        {
            int length;
            try
            {
                length = await _channel.TransmitAsync(command, buffer.AsMemory(0, MaxResponse), cancellationToken);
            }
            catch (PcscException e)
            {
                throw Map(e);
            }
            catch (IOException e)
            {
                throw new CardException(new CardError(CardErrorCode.CardRemoved, "the card connection was lost"), e);
            }

            if (length < 2)
            {
                throw new CardException(new CardError(CardErrorCode.Unreadable, "the card answered without a status word"));
            }

            var response = ResponseApdu.Parse(buffer.AsSpan(0, length));
            Counters.Add(command.Span[1], command.Length, length);
            if (_logger.IsEnabled(LogLevel.Trace))
            {
                var span = command.Span;
                _logger.LogTrace("APDU {Cla:X2} {Ins:X2} {P1:X2} {P2:X2} → {Sw} ({Length} bytes)", span[0], span[1], span[2], span[3], response.Status.ToString(), response.Data.Length);
            }

            return response;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
